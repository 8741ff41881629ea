"""What the ledger's and the event list's codes mean, in Swedish and English: the parties, why
money moved, and what happened to a participant. One place, so that the dashboard's
drill-down and the workbook's ledger name a payment the same way."""

from __future__ import annotations

#: Party code → (sv, en).
PARTIES: dict[str, tuple[str, str]] = {
    "commissioner": ("kommunen", "the municipality"),
    "provider": ("utföraren", "the provider"),
    "bank": ("banken", "the bank"),
    "guarantor": ("garanten", "the guarantor"),
    "investor": ("investeraren", "the investor"),
    "state": ("staten", "the state"),
    "external": ("andra", "others"),
}

#: Ledger category → (sv, en).
CATEGORIES: dict[str, tuple[str, str]] = {
    "upfront_payment": ("startersättning", "upfront payment"),
    "fixed_monthly": ("fast ersättning per månad", "fixed monthly fee"),
    "fixed_participant_months": ("ersättning per deltagarmånad", "fee per participant-month"),
    "outcome_payment": ("utfallsersättning", "outcome payment"),
    "cohort_outcome_payment": ("utfallsersättning för en kohort", "cohort outcome payment"),
    "start_up": ("uppstartskostnad", "start-up cost"),
    "overhead": ("omkostnader", "overhead"),
    "direct_costs": ("direkta kostnader per deltagare", "direct costs per participant"),
    "intake": ("inskrivningskostnad", "intake cost"),
    "salaries": ("personallöner", "staff salaries"),
    "employer_fees": ("arbetsgivaravgifter", "employer's fees"),
    "credit_draw": ("uttag på krediten", "credit drawn"),
    "credit_repayment": ("återbetalning av kredit", "credit repaid"),
    "credit_interest": ("kreditränta", "credit interest"),
    "commitment_fee": ("avgift för outnyttjad kredit", "commitment fee"),
    "setup_fee": ("uppläggningsavgift", "set-up fee"),
    "loan_payout": ("utbetalt lån", "loan paid out"),
    "loan_repayment": ("amortering", "loan repayment"),
    "loan_interest": ("låneränta", "loan interest"),
    "guarantee_fee": ("garantiavgift", "guarantee fee"),
    "guarantee_payout": ("garantin betalar banken", "guarantee paid to the bank"),
    "guarantee_recovery": ("garanten får tillbaka ur konkursboet", "guarantor recovers from the estate"),
    "estate_repayment": ("betalning ur konkursboet", "paid from the estate"),
    "takeover": ("kommunen tar över deltagarna", "the municipality takes the participants over"),
    "late_payment_interest": ("dröjsmålsränta på kommunens sena betalning", "late-payment interest on the municipality's invoice"),
    "input_vat": ("ingående moms", "input VAT"),
    "output_vat": ("utgående moms", "output VAT"),
    "vat_payment": ("momsinbetalning", "VAT paid to the state"),
    "vat_refund": ("momsåterbetalning", "VAT refunded"),
    "vat_compensation": ("momskompensation", "VAT compensation"),
    "participant_wages": ("deltagarnas löner", "participants' wages"),
    "wage_subsidy": ("lönestöd", "wage subsidy"),
    "sales": ("försäljning", "sales"),
    "investor_capital": ("investerarens kapital", "investor's capital"),
    "investor_repayment": ("kapital tillbaka till investeraren", "capital repaid to the investor"),
    "investor_return": ("avkastning till investeraren", "return to the investor"),
    "investor_pass_through": ("vidare till utföraren från investeraren", "passed on to the provider by the investor"),
    "capital_protection": ("kapitalskydd", "capital protection"),
    "rent": ("hyra för lägenheter", "rent for apartments"),
    "tenant_rent": ("hyra från hyresgäster", "rent from tenants"),
    "overdue_interest": ("dröjsmålsränta på utförarens sena räkningar", "late-payment interest on the provider's bills"),
    "unpaid_at_stop": ("obetalt vid stoppet", "unpaid at the stop"),
    "reprocurement": ("ny upphandling", "reprocurement"),
    "service_gap": ("dagar utan stöd efter stoppet", "days without support after the stop"),
    "continuation": ("kommunen för tjänsten vidare", "the municipality carries the service on"),
    "invoice_advance": ("förskott mot faktura", "invoice advance"),
    "invoice_advance_repayment": ("förskott återbetalt", "invoice advance repaid"),
    "invoice_financing_fee": ("avgift för fakturabelåning", "invoice financing fee"),
    "start_up_grant": ("startbidrag", "start-up grant"),
    "unused_places": ("ersättning för tomma platser", "fee for unused places"),
    "commissioner_set_up": ("kommunens upphandling och uppstart", "the municipality's procurement and set-up"),
    "contract_management": ("kommunens avtalsförvaltning", "the municipality's contract management"),
    "final_evaluation": ("slututvärdering", "final evaluation"),
    "day_payment": ("ersättning per dag", "payment per day"),
    "exit_payment": ("ersättning vid planerad utflytt", "payment on a planned exit"),
}

#: Event code → (sv, en); ``lost_<reason>`` events are named by their reason.
EVENTS: dict[str, tuple[str, str]] = {
    "referred": ("remitterad", "referred"),
    "enrolled": ("inskriven", "enrolled"),
    "entered": ("går över till", "moves to"),
    "milestone": ("når milstolpe", "reaches a milestone"),
    "support_ended": ("stödet upphör", "support ends"),
    "path_cut": ("följs inte längre", "no longer followed"),
    "taken_over": ("tas över av kommunen", "taken over by the municipality"),
    "lost_list_full": ("ej inskriven: kön full", "not enrolled: the list was full"),
    "lost_max_wait": ("ej inskriven: väntade för länge", "not enrolled: waited too long"),
    "lost_contract_full": ("ej inskriven: avtalet fullt", "not enrolled: the contract was full"),
    "lost_service_ended": ("ej inskriven: tjänsten hade upphört", "not enrolled: the service had ended"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """``code``'s label in ``lang`` (the code itself where it has none)."""
    pair = table.get(code)
    return code if pair is None else pair[0 if lang == "sv" else 1]
