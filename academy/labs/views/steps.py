"""The contract pipeline's step forms and the commands they send (the student's pages)."""

from __future__ import annotations

from typing import Any

from flask import request

from academy.i18n import pick
from academy.labs import firm as firm_pages
from academy.labs import labels, pipeline
from academy.labs.student_forms import (
    DeclarationForm,
    DocumentsForm,
    FreightForm,
    PurchaseForm,
    SimpleStepForm,
)

STEP_FORMS = {
    "procure": PurchaseForm,
    "freight": FreightForm,
    "declare": DeclarationForm,
    "documents": DocumentsForm,
    "rebate": SimpleStepForm,
}


def step_form(step: str | None, page: firm_pages.FirmPage, contract: dict, firm_id: str):
    """The form of the contract's next step, with its choices (and on GET its defaults)."""
    form_class = STEP_FORMS.get(step or "")
    if form_class is None:
        return None
    form = form_class()
    if request.method == "GET":
        form.firm_id.data = firm_id
    if isinstance(form, PurchaseForm):
        form.supplier_id.choices = [
            (s.id, f"{s.name} ({s.city})") for s in page.suppliers_of(contract["product_id"])
        ]
    if isinstance(form, FreightForm):
        special = page.special_cargo(contract)
        form.documents.choices = [
            (code, labels.paper_label(code, fee, days)) for code, fee, days in special["papers"]
        ]
    if isinstance(form, DocumentsForm):
        form.documents.choices = pipeline.document_choices(contract)
    if isinstance(form, DeclarationForm) and request.method == "GET":
        product = page.world.products.get(contract["product_id"])
        form.consignor_code.data = page.view["firm"]["licence_no"]
        form.contract_no.data = contract["contract_id"]
        form.trading_country.data = contract["buyer"]["market"]
        form.destination_country.data = contract["buyer"]["market"]
        form.consignee.data = contract["buyer"]["company"]
        form.quantity.data = contract["quantity"]
        form.currency.data = "USD"
        form.declared_value.data = contract["amount"]
        if product is not None:
            form.hs_code.data = product.hs_code
            # The declaration is filed in Chinese: the goods name as customs reads it.
            form.goods_name.data = pick(product.name, product.name_zh)
            form.unit.data = product.unit
    return form


def step_command(step: str, form: Any, contract_id: str) -> dict[str, Any]:
    """The market command a validated step form sends."""
    if step == "procure":
        return {
            "command": "PlacePurchaseOrder",
            "contract_id": contract_id,
            "supplier_id": form.supplier_id.data,
        }
    if step == "freight":
        return {
            "command": "BookFreight",
            "contract_id": contract_id,
            "insure": form.insure.data,
            "documents": list(form.documents.data or []),
            "cold_chain": bool(form.cold_chain.data),
        }
    if step == "declare":
        return {
            "command": "FileDeclaration",
            "contract_id": contract_id,
            "declaration": form.declaration(),
        }
    if step == "documents":
        return {
            "command": "PresentDocuments",
            "contract_id": contract_id,
            "documents": form.presentation(),
        }
    return {"command": "ClaimRebate", "contract_id": contract_id}
