"""Messages from buyers: what the market's events would sound like in the buyers' words.

The engine records facts (an RFQ posted, goods arrived, a payment late); this module
turns the ones that concern a firm into short letters from the buyer concerned, in
that buyer's own style. A letter is put together from three templates: an opening and
a closing chosen by the buyer's temperament (from the persona in its ``BuyerJoined``
event: brisk, formal or friendly) and a body chosen by the situation. Which variant
of each is used is drawn from the market seed and the event's sequence number, so a
reload shows the same letter. Every template exists in English and Chinese; the page
follows the reader's language, while names, companies and cities stay as generated
and the sign-off greets in the buyer's own language.

Two situations have no event of their own and are read off the day's close: a
shipment still not arrived when the carrier's window has passed (delayed) and a
receivable unpaid at the end of its due day (late). Nothing sealed is used: not a
shipment's decided outcome, nor the day a buyer will pay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from academy.db import db
from academy.labs.firm import FirmPage
from academy.labs.labels import money_usd
from academy.labs.models import MarketEvent, SandboxMarket
from sandbox import rng_for

__all__ = [
    "LANGUAGES",
    "SITUATIONS",
    "STYLES",
    "BuyerMessage",
    "firm_messages",
    "render_message",
    "style_of",
]

LANGUAGES = ("en", "zh")
STYLES = ("brisk", "formal", "friendly")

#: Subject and body templates per situation: ``{situation: {"subject": {...}, "bodies": (...)}}``.
SITUATIONS: dict[str, dict[str, Any]] = {
    "rfq_posted": {
        "subject": {
            "en": "RFQ {rfq}: {quantity} × {product}",
            "zh": "采购需求 {rfq}：{product} × {quantity}",
        },
        "bodies": (
            {
                "en": "We need {quantity} units of {product} and have posted RFQ {rfq} on the platform. We ask for {incoterm} with {payment}. Quotes close on day {deadline}.",
                "zh": "我们需要 {product} 共 {quantity} 件，已在平台发布采购需求 {rfq}。希望采用 {incoterm}，付款方式为{payment}。报价截止于第 {deadline} 天。",
            },
            {
                "en": "Our RFQ {rfq} is open: {product}, {quantity} units, {incoterm}, {payment}. Send your best price before day {deadline}.",
                "zh": "采购需求 {rfq} 已开放：{product}，{quantity} 件，{incoterm}，{payment}。请在第 {deadline} 天前报出最优价格。",
            },
            {
                "en": "We are sourcing {product} ({quantity} units) for our customers in {city}. Please quote RFQ {rfq} on {incoterm} terms, paid by {payment}.",
                "zh": "我们正在为 {city} 的客户采购 {product}（{quantity} 件）。请按 {incoterm} 条件就采购需求 {rfq} 报价，付款方式为{payment}。",
            },
        ),
    },
    "inquiry": {
        "subject": {"en": "Question about {product}", "zh": "关于 {product} 的询盘"},
        "bodies": (
            {
                "en": "We saw your listing for {product}. What is your minimum order and how soon could you ship to {city}? A reply within 24 hours would help us.",
                "zh": "我们看到了贵司 {product} 的产品信息。请问最小起订量是多少？多久可以发货到 {city}？希望 24 小时内得到回复。",
            },
            {
                "en": "Could you send us details of {product}: specifications, packing and lead time? We are comparing suppliers this week.",
                "zh": "能否发来 {product} 的详细资料：规格、包装和交货期？我们本周在比较几家供应商。",
            },
        ),
    },
    "contract_awarded": {
        "subject": {
            "en": "Order confirmed: contract {contract}",
            "zh": "订单确认：合同 {contract}",
        },
        "bodies": (
            {
                "en": "We accept your quotation. Contract {contract} covers {quantity} × {product} for {amount}, {incoterm}, {payment}. Please ship by day {ship_by}.",
                "zh": "我们接受贵司报价。合同 {contract}：{product} × {quantity}，金额 {amount}，{incoterm}，{payment}。请于第 {ship_by} 天前发货。",
            },
            {
                "en": "Good news: your offer won. Contract {contract} is signed ({amount}). We count on shipment by day {ship_by}.",
                "zh": "好消息：贵司报价中标。合同 {contract} 已签订（{amount}）。请务必在第 {ship_by} 天前装运。",
            },
        ),
    },
    "lc_issued": {
        "subject": {"en": "L/C opened for {contract}", "zh": "合同 {contract} 的信用证已开立"},
        "bodies": (
            {
                "en": "Our bank has issued the letter of credit for contract {contract}. Please check its terms carefully and present compliant documents.",
                "zh": "我方银行已为合同 {contract} 开立信用证。请仔细核对条款，并提交相符的单据。",
            },
            {
                "en": "The L/C for {contract} is open. Tell us at once if any clause cannot be met, before you ship.",
                "zh": "合同 {contract} 的信用证已开出。若有条款无法满足，请在装运前立即告知我们。",
            },
        ),
    },
    "lc_amendment_accepted": {
        "subject": {
            "en": "L/C amendment agreed ({contract})",
            "zh": "同意修改信用证（{contract}）",
        },
        "bodies": (
            {
                "en": "We have agreed to amend the credit for {contract} as you asked; our bank will advise the new terms.",
                "zh": "我们已同意按贵司要求修改合同 {contract} 的信用证，银行将通知新的条款。",
            },
            {
                "en": "Amendment accepted for {contract}. Please ship and present within the new dates.",
                "zh": "合同 {contract} 的改证已接受。请在新的期限内装运并交单。",
            },
        ),
    },
    "lc_amendment_refused": {
        "subject": {
            "en": "L/C amendment declined ({contract})",
            "zh": "不同意修改信用证（{contract}）",
        },
        "bodies": (
            {
                "en": "We cannot agree to amend the credit for {contract}. The original terms stand.",
                "zh": "我们无法同意修改合同 {contract} 的信用证，原条款不变。",
            },
            {
                "en": "Sorry, no amendment for {contract}: please work with the credit as issued.",
                "zh": "抱歉，合同 {contract} 不做改证，请按原信用证执行。",
            },
        ),
    },
    "shipment_departed": {
        "subject": {
            "en": "Shipment of {contract} on its way",
            "zh": "合同 {contract} 的货物已发运",
        },
        "bodies": (
            {
                "en": "Thank you for the shipping notice for {contract}. The carrier expects arrival between day {earliest} and day {latest}.",
                "zh": "感谢贵司发来合同 {contract} 的装运通知。承运人预计于第 {earliest} 至第 {latest} 天之间到货。",
            },
            {
                "en": "We see {contract} has left China. Please send the tracking details; we plan to receive it between day {earliest} and day {latest}.",
                "zh": "我们看到合同 {contract} 的货物已离开中国。请发来跟踪信息，我们计划在第 {earliest} 至第 {latest} 天之间收货。",
            },
        ),
    },
    "shipment_delayed": {
        "subject": {
            "en": "Where is our shipment ({contract})?",
            "zh": "我们的货物在哪里（{contract}）？",
        },
        "bodies": (
            {
                "en": "The goods for {contract} should have arrived by day {latest} and they have not. Please chase the carrier and tell us the new date.",
                "zh": "合同 {contract} 的货物本应在第 {latest} 天前到达，但至今未到。请催促承运人并告知新的到货日期。",
            },
            {
                "en": "{contract} is overdue. Our customers in {city} are waiting; what is happening with the shipment?",
                "zh": "合同 {contract} 已逾期。我们在 {city} 的客户正在等待，货物到底怎么了？",
            },
        ),
    },
    "shipment_arrived": {
        "subject": {"en": "Goods received ({contract})", "zh": "已收到货物（{contract}）"},
        "bodies": (
            {
                "en": "The goods for {contract} have arrived in {city}. We are checking them now.",
                "zh": "合同 {contract} 的货物已到达 {city}，我们正在验货。",
            },
            {
                "en": "Delivery of {contract} received. {arrival_note}",
                "zh": "合同 {contract} 的货物已收到。{arrival_note}",
            },
        ),
    },
    "shipment_lost": {
        "subject": {"en": "Shipment lost ({contract})", "zh": "货物灭失（{contract}）"},
        "bodies": (
            {
                "en": "The carrier reports the goods for {contract} lost in transit. Please tell us how you will handle this and who claims on the insurance.",
                "zh": "承运人通知合同 {contract} 的货物在运输途中灭失。请告知贵司的处理方案以及由谁向保险公司索赔。",
            },
            {
                "en": "Very bad news on {contract}: the cargo is lost. We need your proposal quickly.",
                "zh": "合同 {contract} 出了大问题：货物灭失。请尽快给出解决方案。",
            },
        ),
    },
    "payment_made": {
        "subject": {"en": "Payment sent ({contract})", "zh": "已付款（{contract}）"},
        "bodies": (
            {
                "en": "We have paid {amount} for contract {contract} ({part}). Please confirm receipt.",
                "zh": "我们已支付合同 {contract} 的{part} {amount}，请确认收款。",
            },
            {
                "en": "{amount} is on its way to you for {contract} ({part}).",
                "zh": "合同 {contract} 的{part} {amount} 已汇出。",
            },
        ),
    },
    "payment_late": {
        "subject": {"en": "About our payment for {contract}", "zh": "关于合同 {contract} 的付款"},
        "bodies": (
            {
                "en": "We know the {part} of {amount} for {contract} was due on day {due}. We need a few more days; thank you for your patience.",
                "zh": "我们知道合同 {contract} 的{part} {amount} 已于第 {due} 天到期。我们还需要几天时间，感谢贵司耐心等待。",
            },
            {
                "en": "Our payment of {amount} for {contract} ({part}) is late, we are sorry. It is being processed.",
                "zh": "很抱歉，合同 {contract} 的{part} {amount} 付款延迟了，目前正在处理中。",
            },
        ),
    },
    "payment_defaulted": {
        "subject": {"en": "We cannot pay ({contract})", "zh": "无法付款（{contract}）"},
        "bodies": (
            {
                "en": "We regret that we cannot pay the {part} of {amount} for {contract}. Our finances do not allow it.",
                "zh": "很遗憾，我们无法支付合同 {contract} 的{part} {amount}，我方资金状况不允许。",
            },
            {
                "en": "The {part} of {amount} for {contract} will not be paid. Please contact your insurer if you have cover.",
                "zh": "合同 {contract} 的{part} {amount} 将无法支付。如贵司投保了出口信用保险，请联系保险公司。",
            },
        ),
    },
    "dispute_opened": {
        "subject": {
            "en": "Complaint about {contract} ({dispute})",
            "zh": "关于合同 {contract} 的投诉（{dispute}）",
        },
        "bodies": (
            {
                "en": "We have opened dispute {dispute} under Trade Assurance: {reason}. We claim a refund of {claim_rate} of the order. Please answer within {negotiation} days.",
                "zh": "我们已通过信用保障发起纠纷 {dispute}：{reason}。我们要求退还订单金额的 {claim_rate}。请在 {negotiation} 天内答复。",
            },
            {
                "en": "We are not satisfied with {contract}: {reason}. Dispute {dispute} asks for {claim_rate} back. Make us an offer.",
                "zh": "我们对合同 {contract} 不满意：{reason}。纠纷 {dispute} 要求退款 {claim_rate}，请给出方案。",
            },
        ),
    },
    "dispute_escalated": {
        "subject": {
            "en": "Dispute {dispute} goes to the platform",
            "zh": "纠纷 {dispute} 已提交平台",
        },
        "bodies": (
            {
                "en": "As we could not agree, dispute {dispute} on {contract} is now with the platform's arbitration.",
                "zh": "由于双方未能达成一致，合同 {contract} 的纠纷 {dispute} 已提交平台仲裁。",
            },
            {
                "en": "Dispute {dispute} has been escalated. The platform will decide the refund.",
                "zh": "纠纷 {dispute} 已升级，将由平台裁定退款。",
            },
        ),
    },
    "dispute_resolved": {
        "subject": {"en": "Dispute {dispute} closed", "zh": "纠纷 {dispute} 已结案"},
        "bodies": (
            {
                "en": "Dispute {dispute} on {contract} is closed with a refund of {refund}. We hope to do better business next time.",
                "zh": "合同 {contract} 的纠纷 {dispute} 已结案，退款 {refund}。希望今后合作更顺利。",
            },
            {
                "en": "The matter of {contract} is settled ({refund} refunded). Thank you.",
                "zh": "合同 {contract} 的问题已解决（退款 {refund}）。谢谢。",
            },
        ),
    },
}

#: Openings by temperament.
OPENINGS: dict[str, tuple[dict[str, str], ...]] = {
    "brisk": (
        {"en": "{firm},", "zh": "{firm} 负责人："},
        {"en": "To {firm}:", "zh": "致 {firm}："},
        {"en": "Hello,", "zh": "你好，"},
    ),
    "formal": (
        {"en": "Dear Sir or Madam at {firm},", "zh": "{firm} 尊敬的负责人：您好！"},
        {"en": "Dear colleagues of {firm},", "zh": "尊敬的 {firm} 同仁：您好！"},
        {"en": "Dear partners,", "zh": "尊敬的合作伙伴：您好！"},
    ),
    "friendly": (
        {"en": "Hi {firm} team,", "zh": "{firm} 团队，你们好！"},
        {"en": "Hello friends at {firm},", "zh": "{firm} 的朋友们好！"},
        {"en": "Good day from {city}!", "zh": "来自 {city} 的问候！"},
    ),
}

#: Closings by temperament (before the sign-off in the buyer's language).
CLOSINGS: dict[str, tuple[dict[str, str], ...]] = {
    "brisk": (
        {"en": "Reply soon.", "zh": "请尽快回复。"},
        {"en": "Thanks.", "zh": "谢谢。"},
    ),
    "formal": (
        {"en": "We look forward to your kind reply.", "zh": "静候佳音。"},
        {"en": "Thank you for your attention to this matter.", "zh": "感谢贵司对此事的关注。"},
    ),
    "friendly": (
        {"en": "Talk soon, and thanks again!", "zh": "保持联系，再次感谢！"},
        {"en": "Have a great day!", "zh": "祝一切顺利！"},
    ),
}

#: How a buyer signs off, in its own language (kept as written in both UI languages).
SIGN_OFFS = {
    "ru": "С уважением",
    "uz": "Hurmat bilan",
    "pl": "Z poważaniem",
    "de": "Mit freundlichen Grüßen",
    "nl": "Met vriendelijke groet",
    "cs": "S pozdravem",
    "hu": "Üdvözlettel",
    "tr": "Saygılarımla",
    "ar": "مع التحية",
    "vi": "Trân trọng",
    "id": "Hormat kami",
    "th": "ขอแสดงความนับถือ",
    "ur": "Best regards",
    "en": "Best regards",
}

#: Words inside letters, by language.
WORDS: dict[str, dict[str, dict[str, str]]] = {
    "payment": {
        "tt": {"en": "T/T", "zh": "电汇（T/T）"},
        "lc": {"en": "a letter of credit", "zh": "信用证（L/C）"},
        "dp": {"en": "D/P", "zh": "付款交单（D/P）"},
        "da": {"en": "D/A", "zh": "承兑交单（D/A）"},
        "escrow": {"en": "Trade Assurance escrow", "zh": "信用保障第三方担保"},
        "open_account": {"en": "open account", "zh": "赊销（O/A）"},
    },
    "part": {
        "deposit": {"en": "deposit", "zh": "定金"},
        "balance": {"en": "balance", "zh": "尾款"},
        "collection": {"en": "collection", "zh": "托收款"},
        "draft": {"en": "accepted draft", "zh": "承兑汇票款"},
        "invoice": {"en": "invoice", "zh": "发票款"},
        "credit_fallback": {"en": "payment outside the credit", "zh": "信用证外付款"},
        "escrow": {"en": "escrow payment", "zh": "担保交易付款"},
    },
    "reason": {
        "quality": {"en": "the quality is below what we expected", "zh": "质量低于我们的预期"},
        "damaged": {"en": "the goods arrived damaged", "zh": "货物到达时已损坏"},
    },
    "arrival": {
        "on_time": {"en": "Right on time, thank you.", "zh": "准时到达，谢谢。"},
        "late": {"en": "It came later than promised.", "zh": "比约定的时间晚到了。"},
        "damaged": {
            "en": "Some cartons are damaged; we are checking.",
            "zh": "部分纸箱有破损，我们正在检查。",
        },
    },
}


@dataclass(frozen=True)
class BuyerMessage:
    """One message: which event (``seq``, ``index`` for several on one event), who, what.

    ``facts`` fill the templates; ``link`` is ``(endpoint, values, anchor)`` or None.
    """

    seq: int
    index: int
    day: int
    situation: str
    buyer: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    link: tuple[str, dict[str, Any], str] | None = None

    @property
    def key(self) -> str:
        return f"{self.seq}.{self.index}"


def style_of(persona: dict[str, Any]) -> str:
    """A buyer's temperament from its persona: brisk, formal or friendly.

    Impatient buyers write briskly; demanding ones formally; the rest are friendly.
    """
    if float(persona.get("patience", 1)) < 0.35:
        return "brisk"
    if float(persona.get("quality_expectation", 0)) >= 0.75:
        return "formal"
    return "friendly"


def _language(locale: str | None = None) -> str:
    text = str(locale if locale is not None else (get_locale() or "en"))
    return "zh" if text.lower().startswith("zh") else "en"


class _Collector:
    """Folds a market's events into the messages one firm receives."""

    def __init__(self, page: FirmPage) -> None:
        self.page = page
        self.firm_id = page.firm_id
        self.products: set[str] = set(page.view["firm"]["products"])
        self.open_rfqs = {rfq["rfq_id"] for rfq in page.view["open_rfqs"]}
        self.contract_ids = {c["contract_id"] for c in page.view["contracts"]}
        self.buyers: dict[str, dict[str, Any]] = {}
        self.contracts: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, str] = {}
        self.in_transit: dict[str, int] = {}
        self.due: dict[tuple[str, str], tuple[int, int]] = {}
        self.messages: list[BuyerMessage] = []

    def add(self, seq: int, day: int, situation: str, buyer_id: str, facts: dict, link=None):
        buyer = self.buyers.get(buyer_id)
        if buyer is None:
            return
        index = sum(1 for m in self.messages[-8:] if m.seq == seq)
        facts = {"firm": self.page.view["firm"]["name"], **facts}
        self.messages.append(BuyerMessage(seq, index, day, situation, buyer, facts, link))

    def contract_link(self, contract_id: str) -> tuple[str, dict, str] | None:
        if contract_id not in self.contract_ids:
            return None
        return ("labs.show_contract", {"contract_id": contract_id}, "")

    def contract_facts(self, contract: dict[str, Any]) -> dict[str, Any]:
        return {
            "contract": contract["contract_id"],
            "product": self.page.product_name(contract["product_id"]),
            "quantity": contract["quantity"],
            "amount": money_usd(contract["amount"]),
            "incoterm": contract["incoterm"],
            "payment_code": contract["payment"],
            "ship_by": contract["ship_by_day"],
        }

    def feed(self, seq: int, day: int, type_: str, data: dict[str, Any]) -> None:
        handler = getattr(self, f"on_{type_}", None)
        if handler is not None:
            handler(seq, day, data)

    def on_BuyerJoined(self, seq, day, data):
        self.buyers[data["buyer_id"]] = data

    def on_RfqPosted(self, seq, day, data):
        if data["product_id"] not in self.products:
            return
        link = None
        if data["rfq_id"] in self.open_rfqs:
            link = ("labs.quote_rfq", {"rfq_id": data["rfq_id"]}, "")
        facts = {
            "rfq": data["rfq_id"],
            "product": self.page.product_name(data["product_id"]),
            "quantity": data["quantity"],
            "incoterm": data["incoterm"],
            "payment_code": data["payment"],
            "deadline": data["deadline_day"],
        }
        self.add(seq, day, "rfq_posted", data["buyer_id"], facts, link)

    def on_InquirySent(self, seq, day, data):
        if data["firm_id"] != self.firm_id:
            return
        facts = {"product": self.page.product_name(data["product_id"])}
        self.add(
            seq,
            day,
            "inquiry",
            data["buyer_id"],
            facts,
            ("labs.firm_dashboard", {}, "inquiry-heading"),
        )

    def on_ContractSigned(self, seq, day, data):
        if data["firm_id"] != self.firm_id:
            return
        self.contracts[data["contract_id"]] = data
        facts = self.contract_facts(data)
        self.add(
            seq,
            day,
            "contract_awarded",
            data["buyer_id"],
            facts,
            self.contract_link(data["contract_id"]),
        )

    def _about(self, seq, day, situation, contract_id, **extra):
        contract = self.contracts.get(contract_id)
        if contract is None:
            return
        facts = {**self.contract_facts(contract), **extra}
        self.add(seq, day, situation, contract["buyer_id"], facts, self.contract_link(contract_id))

    def on_LcIssued(self, seq, day, data):
        self._about(seq, day, "lc_issued", data["contract_id"])

    def on_LcAmended(self, seq, day, data):
        situation = "lc_amendment_accepted" if data["accepted"] else "lc_amendment_refused"
        self._about(seq, day, situation, data["contract_id"])

    def on_ShipmentDeparted(self, seq, day, data):
        contract = self.contracts.get(data["contract_id"])
        if contract is None:
            return
        # Only the carrier's published window: the decided arrival day is sealed.
        lane = self.page.world.lanes.get(contract["lane_id"])
        earliest, latest = (day + lane.days[0], day + lane.days[1]) if lane else (day, day)
        self.in_transit[data["contract_id"]] = latest
        self._about(
            seq, day, "shipment_departed", data["contract_id"], earliest=earliest, latest=latest
        )

    def on_ShipmentArrived(self, seq, day, data):
        self.in_transit.pop(data["contract_id"], None)
        note = "damaged" if data["damaged"] else ("on_time" if data["on_time"] else "late")
        self._about(seq, day, "shipment_arrived", data["contract_id"], arrival=note)

    def on_ShipmentLost(self, seq, day, data):
        self.in_transit.pop(data["contract_id"], None)
        self._about(seq, day, "shipment_lost", data["contract_id"])

    def on_ReceivableScheduled(self, seq, day, data):
        if data["contract_id"] in self.contracts:
            self.due[(data["contract_id"], data["part"])] = (data["due_day"], data["amount"])

    def _settle(self, data) -> None:
        self.due.pop((data["contract_id"], data["part"]), None)

    def on_PaymentReceived(self, seq, day, data):
        self._settle(data)
        self._about(
            seq,
            day,
            "payment_made",
            data["contract_id"],
            part_code=data["part"],
            amount=money_usd(data["amount"]),
        )

    def on_EscrowFunded(self, seq, day, data):
        self._about(
            seq,
            day,
            "payment_made",
            data["contract_id"],
            part_code="escrow",
            amount=money_usd(data["amount"]),
        )

    def on_ReceivableDefaulted(self, seq, day, data):
        self._settle(data)
        self._about(
            seq,
            day,
            "payment_defaulted",
            data["contract_id"],
            part_code=data["part"],
            amount=money_usd(data["amount"]),
        )

    def on_DisputeOpened(self, seq, day, data):
        contract = self.contracts.get(data["contract_id"])
        if contract is None:
            return
        self.disputes[data["dispute_id"]] = data["contract_id"]
        negotiation = int(self.page.world.platform["dispute_negotiation_days"])
        facts = {
            **self.contract_facts(contract),
            "dispute": data["dispute_id"],
            "reason_code": data["reason"],
            "claim_rate": f"{float(data['claim_rate']) * 100:.0f} %",
            "negotiation": negotiation,
        }
        self.add(
            seq,
            day,
            "dispute_opened",
            contract["buyer_id"],
            facts,
            ("labs.firm_disputes", {}, data["dispute_id"]),
        )

    def _dispute(self, seq, day, situation, data, **extra):
        contract_id = self.disputes.get(data["dispute_id"])
        contract = self.contracts.get(contract_id or "")
        if contract is None:
            return
        facts = {**self.contract_facts(contract), "dispute": data["dispute_id"], **extra}
        self.add(
            seq,
            day,
            situation,
            contract["buyer_id"],
            facts,
            ("labs.firm_disputes", {}, data["dispute_id"]),
        )

    def on_DisputeEscalated(self, seq, day, data):
        self._dispute(seq, day, "dispute_escalated", data)

    def on_DisputeResolved(self, seq, day, data):
        self._dispute(seq, day, "dispute_resolved", data, refund=money_usd(data["refund"]))

    def on_DayClosed(self, seq, day, data):
        closed = int(data["day"])
        for contract_id, latest in list(self.in_transit.items()):
            if latest == closed:
                self._about(seq, day, "shipment_delayed", contract_id, latest=latest)
        for (contract_id, part), (due_day, amount) in list(self.due.items()):
            if due_day == closed:
                self._about(
                    seq,
                    day,
                    "payment_late",
                    contract_id,
                    part_code=part,
                    amount=money_usd(amount),
                    due=due_day,
                )


#: Event types that can lead to a message.
_TYPES = tuple(name[3:] for name in dir(_Collector) if name.startswith("on_"))


def firm_messages(market: SandboxMarket, page: FirmPage) -> list[BuyerMessage]:
    """Every message the firm of ``page`` has received, newest first."""
    collector = _Collector(page)
    rows = db.session.execute(
        sa.select(MarketEvent.seq, MarketEvent.day, MarketEvent.type, MarketEvent.data)
        .where(MarketEvent.market_id == market.id, MarketEvent.type.in_(_TYPES))
        .order_by(MarketEvent.seq)
        .execution_options(yield_per=2000)
    )
    for seq, day, type_, data in rows:
        collector.feed(seq, day, type_, data)
    return sorted(collector.messages, key=lambda m: (m.seq, m.index), reverse=True)


def _word(kind: str, code: Any, language: str) -> str:
    entry = WORDS[kind].get(str(code))
    return entry[language] if entry else str(code)


def render_message(
    message: BuyerMessage, market: SandboxMarket, locale: str | None = None
) -> dict[str, Any]:
    """The text of a message in the reader's language (or ``locale``: ``en``/``zh``).

    The variant of each part is drawn from the market seed and the message's key,
    so the same message always reads the same.

    Returns:
        ``{"subject", "opening", "body", "closing", "sign_off", "signature", "style"}``.
    """
    language = _language(locale)
    buyer = message.buyer
    style = style_of(buyer.get("persona", {}))
    values = {
        "contact": buyer["contact"],
        "company": buyer["company"],
        "city": buyer["city"],
        **message.facts,
    }
    if "payment_code" in values:
        values["payment"] = _word("payment", values["payment_code"], language)
    if "part_code" in values:
        values["part"] = _word("part", values["part_code"], language)
    if "reason_code" in values:
        values["reason"] = _word("reason", values["reason_code"], language)
    if "arrival" in values:
        values["arrival_note"] = _word("arrival", values["arrival"], language)
    spec = SITUATIONS[message.situation]

    def pick(part: str, options: tuple[dict[str, str], ...]) -> str:
        choice = rng_for(market.seed, "buyer-message", message.key, part).choice(options)
        return choice[language].format_map(_Defaults(values))

    return {
        "subject": spec["subject"][language].format_map(_Defaults(values)),
        "opening": pick("opening", OPENINGS[style]),
        "body": pick("body", spec["bodies"]),
        "closing": pick("closing", CLOSINGS[style]),
        "sign_off": SIGN_OFFS.get(buyer.get("language", ""), SIGN_OFFS["en"]),
        "signature": f"{buyer['contact']}, {buyer['company']}, {buyer['city']}",
        "style": style,
    }


class _Defaults(dict):
    """Template values; a missing one shows as empty rather than failing the page."""

    def __missing__(self, key: str) -> str:
        return ""
