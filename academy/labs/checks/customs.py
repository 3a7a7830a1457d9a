"""Checks on customs and tax: ``declaration_cleared`` and ``rebate_received``."""

from __future__ import annotations

from typing import Any, ClassVar

from academy.labs.checks.base import Check, Criterion, FirmLog, Param, as_decimal
from sandbox import B2B_SUPERVISION_MODES

__all__ = ["DeclarationCleared", "RebateReceived"]


def _humane(field: str) -> str:
    return field.replace("_", " ")


def _penalised(log: FirmLog) -> list[tuple[str, int]]:
    found = []
    for contract_id in log.contracts:
        for event in log.events_of(contract_id, "DeclarationReleased"):
            if event.data["penalty"] > 0:
                found.append((contract_id, event.data["penalty"]))
    return found


def penalty_criterion(log: FirmLog, limit: int, key: str) -> Criterion:
    """No more than ``limit`` customs penalties for misdeclaration on the firm's goods."""
    found = _penalised(log)
    return Criterion(
        key,
        len(found) <= limit,
        "customs fined you %(count)s times for misdeclaration%(which)s (at most %(limit)s allowed)",
        {
            "count": len(found),
            "limit": limit,
            "which": f" (contracts {', '.join(c for c, _ in found)})" if found else "",
        },
    )


class DeclarationCleared(Check):
    """Export declarations filed right and released by customs."""

    name = "declaration_cleared"
    goal = "customs accepts and releases your export declarations"
    summary = "Get export declarations released by customs without errors, mismatches or fines."
    params: ClassVar[dict[str, Param]] = {
        "declarations": Param(
            "int",
            default=1,
            minimum=1,
            help="released declarations needed",
            asks="customs releases at least %(value)s of your export declarations",
        ),
        "max_rejections": Param(
            "int",
            help="declarations refused by the single window (needs the action log)",
            asks="the single window refuses at most %(value)s of your declarations",
        ),
        "max_mismatches": Param(
            "int",
            help="fields that disagree with contract or shipment",
            asks="at most %(value)s declared fields disagree with the contract or shipment",
        ),
        "max_penalties": Param(
            "int",
            help="fines for misdeclaration found on inspection",
            asks="customs fines you for misdeclaration at most %(value)s times",
        ),
        "required_supervision_modes": Param(
            "str_list",
            choices=B2B_SUPERVISION_MODES,
            help="each of these modes on at least one released declaration",
            asks="a released declaration under each supervision mode: %(value)s",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        released: list[str] = []
        modes: set[str] = set()
        mismatches: list[tuple[str, str]] = []
        for contract_id in log.contracts:
            filed = log.first(contract_id, "DeclarationFiled")
            if filed is None:
                continue
            for finding in filed.data["findings"]:
                if finding["severity"] == "mismatch":
                    mismatches.append((contract_id, finding["field"]))
            if log.first(contract_id, "DeclarationReleased") is not None:
                released.append(contract_id)
                modes.add(filed.data["declaration"].get("supervision_mode", ""))
        needed = params["declarations"]
        rows = [
            Criterion(
                "declaration_cleared.released",
                len(released) >= needed,
                "customs released %(count)s of your declarations (%(needed)s needed)",
                {"count": len(released), "needed": needed},
            )
        ]
        if params["max_rejections"] is not None:
            refused = [r for r in log.rejections if r.get("command") == "FileDeclaration"]
            fields = sorted({_humane(str(r.get("field") or "?")) for r in refused})
            rows.append(
                Criterion(
                    "declaration_cleared.rejections",
                    len(refused) <= params["max_rejections"],
                    "the single window refused %(count)s declarations%(fields)s "
                    "(at most %(limit)s allowed)",
                    {
                        "count": len(refused),
                        "limit": params["max_rejections"],
                        "fields": (
                            " for field " + ", ".join(f"'{f}'" for f in fields) if fields else ""
                        ),
                    },
                )
            )
        if params["max_mismatches"] is not None:
            fields = sorted({_humane(field) for _, field in mismatches})
            rows.append(
                Criterion(
                    "declaration_cleared.mismatches",
                    len(mismatches) <= params["max_mismatches"],
                    "%(count)s declared fields disagreed with the contract or shipment"
                    "%(fields)s (at most %(limit)s allowed)",
                    {
                        "count": len(mismatches),
                        "limit": params["max_mismatches"],
                        "fields": (": " + ", ".join(f"'{f}'" for f in fields) if fields else ""),
                    },
                )
            )
        if params["max_penalties"] is not None:
            rows.append(
                penalty_criterion(log, params["max_penalties"], "declaration_cleared.fines")
            )
        for mode in params["required_supervision_modes"] or []:
            rows.append(
                Criterion(
                    "declaration_cleared.supervision_mode",
                    mode in modes,
                    "a declaration under supervision mode %(mode)s was %(state)s",
                    {"mode": mode, "state": "released" if mode in modes else "not released"},
                )
            )
        return rows


class RebateReceived(Check):
    """The tax office pays export VAT rebates on profitable, cleanly declared exports."""

    name = "rebate_received"
    goal = "the tax office pays you export VAT rebates"
    summary = "Receive export VAT rebates on a number of contracts, keeping a minimum margin."
    params: ClassVar[dict[str, Param]] = {
        "hs_code": Param(
            "str",
            help="only goods under this 10-digit HS code count",
            asks="only goods under HS code %(value)s count",
        ),
        "contracts": Param(
            "int",
            default=1,
            minimum=1,
            help="contracts with a rebate paid",
            asks="the tax office pays the export VAT rebate on at least %(value)s contracts",
        ),
        "min_gross_margin_percent": Param(
            "percent",
            help="lowest gross margin on each of them, after VAT not refunded",
            asks="each of them keeps a gross margin of at least %(value)s %% after the VAT not refunded",
        ),
        "max_penalties": Param(
            "int",
            help="fines for misdeclaration on any of your goods",
            asks="customs fines you for misdeclaration at most %(value)s times",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        assert log.world is not None
        hs_code = params["hs_code"]
        minimum = as_decimal(params["min_gross_margin_percent"])
        needed = params["contracts"]
        paid: list[str] = []
        thin: list[str] = []
        for contract_id, contract in log.contracts.items():
            product = log.world.products[contract["product_id"]]
            if hs_code is not None and product.hs_code != hs_code:
                continue
            if log.first(contract_id, "RebatePaid") is None:
                continue
            paid.append(contract_id)
            if minimum is not None:
                margin, _ = log.gross_margin(contract_id)
                if margin < minimum:
                    thin.append(f"{contract_id} {margin} %")
        goods = f" on HS {hs_code}" if hs_code else ""
        rows = [
            Criterion(
                "rebate_received.paid",
                len(paid) >= needed,
                "the tax office paid rebates on %(count)s contracts%(goods)s (%(needed)s needed)",
                {"count": len(paid), "needed": needed, "goods": goods},
            )
        ]
        if minimum is not None:
            good = len(paid) - len(thin)
            rows.append(
                Criterion(
                    "rebate_received.margin",
                    good >= needed,
                    "%(good)s of them kept a gross margin of at least %(minimum)s %%%(thin)s",
                    {
                        "good": good,
                        "minimum": str(minimum),
                        "thin": f" (below: {', '.join(thin)})" if thin else "",
                    },
                )
            )
        if params["max_penalties"] is not None:
            rows.append(penalty_criterion(log, params["max_penalties"], "rebate_received.fines"))
        return rows
