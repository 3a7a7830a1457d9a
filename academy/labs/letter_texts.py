"""The words of buyers' letters: templates per situation and temperament, in English and Chinese.

Data only; ``academy.labs.messages`` picks and fills them. Placeholders in braces are
filled from the event's facts; every template has the same placeholders in both
languages (a test checks this).
"""

from __future__ import annotations

from typing import Any

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
