"""What the ledger's and the event list's codes mean, in Swedish and English: the parties, why
money moved, and what happened to a participant. One place, so that the dashboard's
drill-down and the workbook's ledger name a payment the same way."""

from __future__ import annotations

from sib.i18n import pick, say

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


#: Choices a scenario file writes in English (a rule, a payer, an interval, a unit of time),
#: as a reader sees them: in the table of differences, the editor and the workbook's assumptions.
CHOICES: dict[str, tuple[str, str]] = {
    "stop": ("stoppar", "stops"),
    "continue": ("fortsätter", "continues"),
    "municipality": ("kommunen", "the municipality"),
    "provider": ("utföraren", "the provider"),
    "monthly": ("månadsvis", "monthly"),
    "quarterly": ("kvartalsvis", "quarterly"),
    "mikrofonden": ("Mikrofonden", "Mikrofonden"),
    "days": ("dagar", "days"),
    "weeks": ("veckor", "weeks"),
    "months": ("månader", "months"),
    "years": ("år", "years"),
    "commissioner": ("kommunen", "the municipality"),
    "external": ("andra", "others"),
    "credit_line": ("krediten", "the credit line"),
    "loan": ("lånet", "the loan"),
    "both": ("båda", "both"),
    "entered": ("från inträdet", "from entry"),
    "continuous": ("sammanhängande", "continuous"),
    "each_month": ("varje månad", "each month"),
    "exempt": ("momsfri", "exempt from VAT"),
    "taxable": ("momspliktig", "liable to VAT"),
    "follow_up_end": ("uppföljningens slut", "the end of follow-up"),
    "service_end": ("tjänstens slut", "the end of the service"),
    "investor_first": ("investeraren först", "the investor first"),
    "costs_first": ("kostnaderna först", "costs first"),
    "limit": ("kreditgränsen", "the limit"),
    "exposure": ("utnyttjad kredit", "the exposure"),
    "replacement_provider": ("en ny utförare", "a replacement provider"),
    "on_demand": ("på anfordran", "on demand"),
    "final_loss": ("vid slutlig förlust", "on a final loss"),
    "per_outcome": ("per utfall", "per outcome"),
    "per_effect": ("per effekt", "per effect"),
    "real": ("reala", "real"),
    "nominal": ("nominella", "nominal"),
    "renew": ("förnyas", "renewed"),
    "unguaranteed": ("utan garanti", "unguaranteed"),
    "repay": ("återbetalas", "repaid"),
    "straight": ("rak amortering", "straight repayment"),
    "bullet": ("allt på slutet", "all at the end"),
    "upfront": ("i förskott", "upfront"),
    "yearly": ("årsvis", "yearly"),
}

#: The monthly series of a study (the workbook's monthly sheet, the charts).
SERIES: dict[str, tuple[str, str]] = {
    "provider_cash_end": ("Utförarens kassa vid månadens slut", "The provider's cash at the month's end"),
    "provider_cash_low": ("Utförarens lägsta kassa under månaden", "The provider's lowest cash in the month"),
    "provider_liquidity_end": (
        "Utförarens likviditet vid månadens slut (kassa och outnyttjad kredit)",
        "The provider's liquidity at the month's end (cash and undrawn credit)",
    ),
    "provider_liquidity_low": ("Utförarens lägsta likviditet under månaden", "The provider's lowest liquidity in the month"),
    "commissioner_net": ("Kommunens nettoflöde", "The municipality's net flow"),
    "bank_net": ("Bankens nettoflöde", "The bank's net flow"),
    "guarantor_net": ("Garantens nettoflöde", "The guarantor's net flow"),
    "investor_net": ("Investerarens nettoflöde", "The investor's net flow"),
    "state_net": ("Statens nettoflöde (moms)", "The state's net flow (VAT)"),
    "external_net": ("Andras nettoflöde", "Others' net flow"),
    "participant_days": ("Deltagardagar", "Participant-days"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """``code``'s label in ``lang`` (the code itself where it has none)."""
    pair = table.get(code)
    return code if pair is None else pick(pair, lang)


#: A metric of a replication → (sv name, en name, unit, sv description, en description). Units:
#: kr, share (0–1), count, days, date, rate, ratio, text.
METRICS: dict[str, tuple[str, str, str, str, str]] = {
    "referrals": ("Remitterade", "Referred", "count", "Personer som remitterades till insatsen.", "People referred to the service."),
    "enrolled": ("Inskrivna", "Enrolled", "count", "Personer som fick en plats.", "People given a place."),
    "declined_contract_full": (
        "Ej inskrivna: avtalet fullt",
        "Not enrolled: contract full",
        "count",
        "Remitterade efter att avtalets högsta antal deltagare nåtts.",
        "Referred after the contract's maximum was reached.",
    ),
    "lost_list_full": (
        "Ej inskrivna: kön full",
        "Not enrolled: list full",
        "count",
        "Remitterade när väntelistan var full.",
        "Referred when the waiting list was full.",
    ),
    "lost_max_wait": (
        "Ej inskrivna: väntade för länge",
        "Not enrolled: waited too long",
        "count",
        "Lämnade väntelistan efter den längsta väntetiden.",
        "Left the waiting list after the longest wait.",
    ),
    "lost_service_ended": (
        "Ej inskrivna: tjänsten upphörde",
        "Not enrolled: service ended",
        "count",
        "Väntade när tjänsten upphörde.",
        "Waiting when the service ended.",
    ),
    "wait_days_mean": (
        "Väntetid, medel",
        "Wait, mean",
        "days",
        "Dagar från remiss till plats för de inskrivna.",
        "Days from referral to a place for those enrolled.",
    ),
    "wait_days_max": ("Väntetid, längsta", "Wait, longest", "days", "Den längsta väntan till en plats.", "The longest wait for a place."),
    "outcome_claims_verified": (
        "Verifierade utfall",
        "Verified outcomes",
        "count",
        "Utfall som godkändes och betalades.",
        "Outcomes approved and paid.",
    ),
    "outcome_claims_rejected": (
        "Avvisade utfall",
        "Rejected outcomes",
        "count",
        "Utfall som inte godkändes vid verifieringen.",
        "Outcomes not approved at verification.",
    ),
    "commissioner_paid": (
        "Betalt till utföraren",
        "Paid to the provider",
        "kr",
        "Avtalets fasta och utfallsbaserade ersättning, utan moms.",
        "The contract's fixed and outcome payments, without VAT.",
    ),
    "commissioner_paid_fixed": (
        "Betalt till utföraren, fast del",
        "Paid to the provider, fixed part",
        "kr",
        "Startersättning, månadsbelopp och avgifter per deltagare.",
        "Upfront, monthly and per-participant fees.",
    ),
    "commissioner_paid_outcome": (
        "Betalt till utföraren, utfallsdel",
        "Paid to the provider, outcome part",
        "kr",
        "Ersättning för verifierade utfall.",
        "Payments for verified outcomes.",
    ),
    "outcome_share_realised": (
        "Utfallsandel i utfall",
        "Outcome share realised",
        "share",
        "Den del av det som betalades som betalades på utfall.",
        "The part of what was paid that was paid on outcomes.",
    ),
    "cost_per_outcome": (
        "Betalt per verifierat utfall",
        "Paid per verified outcome",
        "kr",
        "Betalt till utföraren delat med antalet verifierade utfall.",
        "Paid to the provider divided by verified outcomes.",
    ),
    "commissioner_whole_cost": (
        "Kommunens hela kostnad",
        "The municipality's whole cost",
        "kr",
        "Allt kommunen betalar för insatsen, också egen administration och att föra tjänsten vidare, minus det den får tillbaka.",
        "Everything the municipality pays for the service, its own administration and any continuation included, less what it gets back.",
    ),
    "commissioner_cost_contract": (
        "Hela kostnaden: avtalet",
        "Whole cost: the contract",
        "kr",
        "Betalt till utföraren (eller investeraren) enligt avtalet.",
        "Paid to the provider (or investor) under the contract.",
    ),
    "commissioner_cost_administration": (
        "Hela kostnaden: egen administration",
        "Whole cost: own administration",
        "kr",
        "Upphandling, avtalsförvaltning och utvärdering.",
        "Procurement, contract management and evaluation.",
    ),
    "commissioner_cost_leases": (
        "Hela kostnaden: hyreskontrakt",
        "Whole cost: leases",
        "kr",
        "Hyra minus hyresgästernas hyra, där kommunen håller kontrakten.",
        "Rent less the tenants' rent, where the municipality holds the leases.",
    ),
    "commissioner_cost_late_payment_interest": (
        "Hela kostnaden: dröjsmålsränta",
        "Whole cost: late-payment interest",
        "kr",
        "Ränta på fakturor kommunen betalat för sent.",
        "Interest on invoices the municipality paid late.",
    ),
    "commissioner_cost_capital_protection": (
        "Hela kostnaden: kapitalskydd",
        "Whole cost: capital protection",
        "kr",
        "Det kommunen betalar för att skydda investerarens kapital.",
        "What the municipality pays to protect the investor's capital.",
    ),
    "commissioner_cost_continuation": (
        "Hela kostnaden: tjänsten förs vidare",
        "Whole cost: continuation",
        "kr",
        "Att föra tjänsten vidare efter att utföraren inte klarat sig.",
        "Carrying the service on after the provider failed.",
    ),
    "commissioner_cost_service_gap": (
        "Hela kostnaden: dagar utan stöd",
        "Whole cost: days without support",
        "kr",
        "Kostnaden för deltagardagar utan stöd mellan stoppet och övertagandet.",
        "Participant-days without support between a stop and a takeover.",
    ),
    "commissioner_cost_reprocurement": (
        "Hela kostnaden: ny upphandling",
        "Whole cost: reprocurement",
        "kr",
        "Att ersätta en utförare som inte klarat sig.",
        "Replacing a provider that failed.",
    ),
    "commissioner_cost_takeover": (
        "Hela kostnaden: övertagande",
        "Whole cost: takeover",
        "kr",
        "Engångskostnad för att ta över deltagarna.",
        "One-off cost of taking the participants over.",
    ),
    "commissioner_cost_guarantee": (
        "Hela kostnaden: garanti",
        "Whole cost: guarantee",
        "kr",
        "Kommunal borgen som infriats och avgifter kommunen betalar, minus avgifter den får.",
        "A municipal guarantee called and fees paid, less fees received.",
    ),
    "commissioner_cost_vat": (
        "Hela kostnaden: moms",
        "Whole cost: VAT",
        "kr",
        "Moms kommunen betalar och inte får tillbaka.",
        "VAT the municipality pays and does not get back.",
    ),
    "commissioner_cost_other": (
        "Hela kostnaden: övrigt",
        "Whole cost: other",
        "kr",
        "Det som inte hör till raderna ovan.",
        "What falls in none of the lines above.",
    ),
    "provider_result": (
        "Utförarens resultat",
        "The provider's result",
        "kr",
        "Intäkter minus kostnader över hela avtalet.",
        "Income less costs over the whole contract.",
    ),
    "provider_final_cash": (
        "Utförarens kassa vid slutet",
        "The provider's cash at the end",
        "kr",
        "Kassan när sista betalningen är gjord.",
        "Cash once the last payment is made.",
    ),
    "provider_min_cash": (
        "Utförarens lägsta kassa",
        "The provider's lowest cash",
        "kr",
        "Den lägsta kassan under avtalet (utan kredit).",
        "The lowest cash during the contract (credit not counted).",
    ),
    "provider_min_cash_date": (
        "Dag för lägsta kassa",
        "Date of the lowest cash",
        "date",
        "När kassan var som lägst.",
        "When cash was lowest.",
    ),
    "provider_min_liquidity": (
        "Utförarens lägsta likviditet",
        "The provider's lowest liquidity",
        "kr",
        "Kassa plus outnyttjad kredit när den var som lägst; under noll kan räkningar inte betalas i tid.",
        "Cash plus undrawn credit at its lowest; below zero bills cannot be paid on time.",
    ),
    "provider_min_liquidity_date": (
        "Dag för lägsta likviditet",
        "Date of the lowest liquidity",
        "date",
        "När likviditeten var som lägst.",
        "When liquidity was lowest.",
    ),
    "provider_insolvent": (
        "Utföraren kan inte betala",
        "The provider cannot pay",
        "share",
        "Bristen på pengar är mer än tillfällig: räkningar går förbi sin anståndstid.",
        "The shortage of money is more than temporary: bills run past their grace days.",
    ),
    "provider_insolvency_date": (
        "Dag då utföraren inte kan betala",
        "Date the provider cannot pay",
        "date",
        "Första dagen bristen är mer än tillfällig.",
        "The first day the shortage is more than temporary.",
    ),
    "funding_need": (
        "Extra kredit som behövs",
        "Extra credit needed",
        "kr",
        "Pengar utöver kassa och kredit som hade burit utföraren med alla räkningar betalda i tid.",
        "Money beyond cash and credit that would have carried the provider with every bill paid on time.",
    ),
    "shortfall_days": (
        "Dagar efter med betalningar",
        "Days behind with payments",
        "days",
        "Dagar som slutar med förfallna obetalda räkningar.",
        "Days that end with bills past due and unpaid.",
    ),
    "shortfall_deepest": (
        "Största obetalda belopp",
        "Largest unpaid amount",
        "kr",
        "Det mesta som på en dag var förfallet och obetalt.",
        "The most that was past due and unpaid on one day.",
    ),
    "shortfall_cost": (
        "Dröjsmålsränta utföraren betalar",
        "Late-payment interest the provider pays",
        "kr",
        "Ränta på räkningar utföraren betalat för sent.",
        "Interest on bills the provider paid late.",
    ),
    "invoice_financing_cost": (
        "Kostnad för fakturabelåning",
        "Cost of invoice financing",
        "kr",
        "Ränta och avgifter för förskott mot fakturor.",
        "Interest and fees on invoice advances.",
    ),
    "invoice_advance_peak": (
        "Belånade fakturor som mest",
        "Invoice advances at their peak",
        "kr",
        "Det mesta som lånats mot obetalda fakturor på en gång.",
        "The most borrowed against unpaid invoices at one time.",
    ),
    "invoices_financed": (
        "Belånade fakturor",
        "Invoices financed",
        "count",
        "Fakturor utföraren fick förskott mot.",
        "Invoices the provider took advances on.",
    ),
    "unpaid_at_stop": (
        "Obetalt vid stoppet",
        "Unpaid at the stop",
        "kr",
        "Förfallna räkningar som konkursboet inte betalar.",
        "Bills past due that the estate does not pay.",
    ),
    "continuation_cost": (
        "Kostnad för att föra tjänsten vidare",
        "Cost of continuation",
        "kr",
        "Fortsättning, dagar utan stöd och ny upphandling efter ett stopp.",
        "Continuation, days without support and reprocurement after a stop.",
    ),
    "peak_credit_drawn": (
        "Mest utnyttjad kredit",
        "Most credit drawn",
        "kr",
        "Det mesta som var lånat på krediten på en gång.",
        "The most drawn on the credit line at one time.",
    ),
    "days_overdrawn": (
        "Dagar med utnyttjad kredit",
        "Days with credit drawn",
        "days",
        "Dagar som slutar med lån på krediten.",
        "Days that end with credit drawn.",
    ),
    "service_stopped": (
        "Tjänsten upphör",
        "The service stops",
        "share",
        "Utföraren slutar leverera efter att inte ha kunnat betala.",
        "The provider stops delivering after failing to pay.",
    ),
    "service_stopped_date": (
        "Dag då tjänsten upphör",
        "Date the service stops",
        "date",
        "När utföraren slutade leverera.",
        "When the provider stopped delivering.",
    ),
    "participants_taken_over": (
        "Deltagare som tas över",
        "Participants taken over",
        "count",
        "Deltagare kommunen tar över vid ett stopp.",
        "Participants the municipality takes over at a stop.",
    ),
    "takeover_cost": (
        "Kostnad för övertagande",
        "Takeover cost",
        "kr",
        "Engångskostnad för att ta över deltagarna.",
        "One-off cost of taking the participants over.",
    ),
    "unpaid_obligations": (
        "Obetalda åtaganden",
        "Unpaid obligations",
        "kr",
        "Det utföraren var skyldig när avtalet tog slut.",
        "What the provider owed when the contract ended.",
    ),
    "bank_interest": ("Ränta till banken", "Interest to the bank", "kr", "Ränta på kredit och lån.", "Interest on credit and loans."),
    "bank_fees": ("Avgifter till banken", "Fees to the bank", "kr", "Uppläggnings- och kreditavgifter.", "Set-up and commitment fees."),
    "bank_outstanding_end": (
        "Skuld till banken vid slutet",
        "Owed to the bank at the end",
        "kr",
        "Kredit och lån som återstår.",
        "Credit and loans outstanding.",
    ),
    "bank_loss": (
        "Bankens förlust",
        "The bank's loss",
        "kr",
        "Det banken inte får tillbaka efter ett stopp.",
        "What the bank does not recover after a stop.",
    ),
    "guarantee_called": (
        "Garantin tas i anspråk",
        "The guarantee is called",
        "share",
        "Garanten betalar banken.",
        "The guarantor pays the bank.",
    ),
    "guarantor_paid": ("Garanten betalar", "The guarantor pays", "kr", "Det garanten betalar banken.", "What the guarantor pays the bank."),
    "guarantor_fees": ("Garantiavgifter", "Guarantee fees", "kr", "Avgifter garanten får.", "Fees the guarantor receives."),
    "guarantor_recovered": (
        "Garanten får tillbaka",
        "The guarantor recovers",
        "kr",
        "Det garanten får ur konkursboet.",
        "What the guarantor recovers from the estate.",
    ),
    "guarantor_result": (
        "Garantens resultat",
        "The guarantor's result",
        "kr",
        "Avgifter och återvunnet minus utbetalt.",
        "Fees and recoveries less payouts.",
    ),
    "late_payment_interest": (
        "Dröjsmålsränta från kommunen",
        "Late-payment interest from the municipality",
        "kr",
        "Ränta utföraren får på fakturor kommunen betalat för sent.",
        "Interest the provider gets on invoices paid late.",
    ),
    "input_vat": ("Ingående moms", "Input VAT", "kr", "Moms på utförarens inköp.", "VAT on the provider's purchases."),
    "participant_wages": (
        "Deltagarnas löner",
        "Participants' wages",
        "kr",
        "Löner och avgifter för anställda deltagare.",
        "Wages and fees of participants employed.",
    ),
    "rent_paid": ("Betald hyra", "Rent paid", "kr", "Hyra till hyresvärdarna.", "Rent to the landlords."),
    "rent_received": ("Mottagen hyra", "Rent received", "kr", "Hyra från hyresgästerna.", "Rent from the tenants."),
    "wage_subsidy": (
        "Lönestöd",
        "Wage subsidy",
        "kr",
        "Lönestöd och handledarstöd från staten.",
        "Wage subsidy and supervision support from the state.",
    ),
    "vat_compensation": (
        "Momskompensation",
        "VAT compensation",
        "kr",
        "Det kommunen får tillbaka från staten för moms.",
        "What the municipality gets back from the state for VAT.",
    ),
    "capital_protection_paid": (
        "Kapitalskydd som betalats",
        "Capital protection paid",
        "kr",
        "Det som betalats för att skydda investerarens kapital.",
        "What was paid to protect the investor's capital.",
    ),
    "investor_paid_in": (
        "Investerarens insats",
        "Investor's capital paid in",
        "kr",
        "Kapital investeraren betalat in.",
        "Capital the investor paid in.",
    ),
    "investor_received": (
        "Investeraren får",
        "Investor receives",
        "kr",
        "Allt investeraren får tillbaka.",
        "Everything the investor gets back.",
    ),
    "investor_irr": (
        "Investerarens avkastning (IRR)",
        "Investor's IRR",
        "rate",
        "Internräntan per år på investerarens pengar.",
        "The yearly internal rate of return on the investor's money.",
    ),
    "investor_irr_note": ("Om avkastningen", "About the IRR", "text", "Varför en internränta saknas.", "Why an IRR is missing."),
    "investor_multiple": (
        "Investerarens multipel",
        "Investor's multiple",
        "ratio",
        "Det investeraren får delat med insatsen.",
        "What the investor gets divided by its capital.",
    ),
    "investor_loss": (
        "Investeraren förlorar kapital",
        "The investor loses capital",
        "share",
        "Investeraren får mindre tillbaka än insatsen.",
        "The investor gets back less than it put in.",
    ),
    "investor_loss_amount": (
        "Investerarens förlust",
        "Investor's loss",
        "kr",
        "Insatsen minus det som kom tillbaka, om mindre.",
        "Capital less what came back, where less.",
    ),
    "econ_societal_value": (
        "Värde för samhället",
        "Value to society",
        "kr",
        "Utfallens värde enligt scenariots antaganden.",
        "The outcomes' value under the scenario's assumptions.",
    ),
    "econ_avoided_municipality": (
        "Undvikna kostnader, kommunen",
        "Avoided costs, municipality",
        "kr",
        "Kostnader kommunen slipper jämfört med utan insatsen.",
        "Costs the municipality avoids compared with no service.",
    ),
    "econ_avoided_state": (
        "Undvikna kostnader, staten",
        "Avoided costs, state",
        "kr",
        "Kostnader staten slipper.",
        "Costs the state avoids.",
    ),
    "econ_municipality_spend": (
        "Kommunens utgifter (nuvärde)",
        "Municipality's spending (present value)",
        "kr",
        "Det kommunen lägger ut, diskonterat.",
        "What the municipality spends, discounted.",
    ),
    "econ_municipality_net_cost": (
        "Kommunens nettokostnad",
        "Municipality's net cost",
        "kr",
        "Utgifter minus undvikna kostnader.",
        "Spending less avoided costs.",
    ),
    "econ_municipality_bcr": (
        "Nyttokvot för kommunen",
        "Benefit-cost ratio, municipality",
        "ratio",
        "Undvikna kostnader delat med utgifter.",
        "Avoided costs divided by spending.",
    ),
    "econ_public_spend": (
        "Offentliga utgifter (nuvärde)",
        "Public spending (present value)",
        "kr",
        "Kommunens och statens utgifter, diskonterat.",
        "The municipality's and the state's spending, discounted.",
    ),
    "econ_public_net_cost": (
        "Offentlig nettokostnad",
        "Public net cost",
        "kr",
        "Offentliga utgifter minus undvikna kostnader.",
        "Public spending less avoided costs.",
    ),
    "econ_public_bcr": (
        "Nyttokvot för det offentliga",
        "Benefit-cost ratio, public sector",
        "ratio",
        "Undvikna kostnader delat med utgifter.",
        "Avoided costs divided by spending.",
    ),
    "econ_society_net_benefit": (
        "Nettonytta för samhället",
        "Net benefit to society",
        "kr",
        "Värde och undvikna kostnader minus utgifter.",
        "Value and avoided costs less spending.",
    ),
    "econ_society_bcr": (
        "Nyttokvot för samhället",
        "Benefit-cost ratio, society",
        "ratio",
        "Värde och undvikna kostnader delat med utgifter.",
        "Value and avoided costs divided by spending.",
    ),
    "econ_discount_rate": (
        "Diskonteringsränta",
        "Discount rate",
        "rate",
        "Räntan framtida belopp diskonteras med.",
        "The rate future amounts are discounted at.",
    ),
    "econ_rate_basis": (
        "Grund för räntan",
        "Basis of the rate",
        "text",
        "Var diskonteringsräntan kommer ifrån.",
        "Where the discount rate comes from.",
    ),
}

#: Per-year metrics: the pattern's stem → (sv, en, sv description, en description); "{y}" is the year.
_YEARLY: dict[str, tuple[str, str, str, str]] = {
    "commissioner_whole_cost": (
        "Kommunens hela kostnad {y} (kassa)",
        "The municipality's whole cost {y} (cash)",
        "Hela kostnaden som betalas under budgetåret.",
        "The whole cost paid in the budget year.",
    ),
    "commissioner_whole_cost_accrued": (
        "Kommunens hela kostnad {y} (periodiserad)",
        "The municipality's whole cost {y} (accrual)",
        "Hela kostnaden som hör till budgetåret.",
        "The whole cost that belongs to the budget year.",
    ),
    "commissioner_paid": (
        "Betalt till utföraren {y} (kassa)",
        "Paid to the provider {y} (cash)",
        "Avtalets ersättning som betalas under året.",
        "The contract's payments made in the year.",
    ),
    "commissioner_outcome_paid": (
        "Utfallsersättning {y} (kassa)",
        "Outcome payments {y} (cash)",
        "Utfallsersättning som betalas under året.",
        "Outcome payments made in the year.",
    ),
    "commissioner_accrued": (
        "Till utföraren {y} (periodiserat)",
        "To the provider {y} (accrual)",
        "Avtalets ersättning som hör till året.",
        "The contract's payments that belong to the year.",
    ),
    "commissioner_outcome_accrued": (
        "Utfallsersättning {y} (periodiserad)",
        "Outcome payments {y} (accrual)",
        "Utfallsersättning för utfall som nåtts under året.",
        "Outcome payments for outcomes reached in the year.",
    ),
    "commissioner_owed_end": (
        "Skuld till utföraren vid slutet av {y}",
        "Owed to the provider at the end of {y}",
        "Intjänat men obetalt vid årets slut.",
        "Earned but unpaid at the year's end.",
    ),
    "commissioner_open_commitment_end": (
        "Kvarvarande åtagande vid slutet av {y}",
        "Open commitment at the end of {y}",
        "Det kommunen högst kan komma att betala för utfall efter året.",
        "The most the municipality may still pay for outcomes after the year.",
    ),
}


def metric(code: str, lang: str, names: dict[str, str] | None = None) -> tuple[str, str, str]:
    """A metric's (name, unit, one-line description) in ``lang``; ``names``: labels of the
    scenario's milestones and states (by key) for the metrics named after them."""
    names = names or {}
    if code in METRICS:
        n_sv, n_en, unit, d_sv, d_en = METRICS[code]
        return say(n_sv, n_en, lang), unit, say(d_sv, d_en, lang)
    stem, _, year = code.rpartition("_")
    if year.isdigit() and len(year) == 4 and stem in _YEARLY:
        n_sv, n_en, d_sv, d_en = _YEARLY[stem]
        return say(n_sv, n_en, lang, y=year), "kr", say(d_sv, d_en, lang)
    for prefix, sv_name, en_name, unit, sv_d, en_d in _PATTERNS:
        if code.startswith(prefix):
            rest = code[len(prefix) :]
            if "__" in rest:
                a, b = rest.split("__", 1)
                shown = f"{names.get(a, a)} → {names.get(b, b)}"
            else:
                shown = names.get(rest, rest)
            return say(sv_name, en_name, lang, name=shown), unit, say(sv_d, en_d, lang)
    if code.startswith("param."):
        return (
            say("Dragen parameter: {path}", "Drawn parameter: {path}", lang, path=code[6:]),
            "",
            say("Värdet den osäkra parametern fick i simuleringen.", "The value the uncertain parameter took in the simulation.", lang),
        )
    return code, "", ""


_PATTERNS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "milestone_",
        "Milstolpe nådd: {name}",
        "Milestone reached: {name}",
        "count",
        "Deltagare som nådde milstolpen.",
        "Participants who reached the milestone.",
    ),
    (
        "step_",
        "Övergång: {name}",
        "Transition: {name}",
        "count",
        "Gånger någon gick över mellan lägena.",
        "Times somebody moved between the states.",
    ),
    (
        "exit_",
        "Avslut: {name}",
        "Exit: {name}",
        "count",
        "Deltagare som lämnade insatsen så.",
        "Participants who left the service this way.",
    ),
    ("days_paid_", "Betalda dagar: {name}", "Days paid: {name}", "days", "Dagar som betalades med dagpris.", "Days paid at the day rate."),
    (
        "exits_paid_",
        "Betalda utflyttningar: {name}",
        "Exits paid: {name}",
        "count",
        "Planerade utflyttningar som betalades.",
        "Planned exits paid.",
    ),
    (
        "comparison_share_",
        "Jämförelsegruppens andel: {name}",
        "Comparison group's share: {name}",
        "share",
        "Andelen i jämförelsegruppen som nådde utfallet.",
        "The share of the comparison group that reached the outcome.",
    ),
    (
        "effect_estimate_",
        "Skattad effekt: {name}",
        "Estimated effect: {name}",
        "share",
        "Insatsgruppens andel minus jämförelsegruppens.",
        "The treated group's share less the comparison group's.",
    ),
    (
        "effect_cleared_",
        "Effekten räckte för betalning: {name}",
        "The effect cleared the threshold: {name}",
        "share",
        "Den skattade effekten nådde tröskeln för betalning.",
        "The estimated effect reached the threshold for payment.",
    ),
)


def scenario_names(scenario) -> dict[str, str]:
    """The labels of a scenario's milestones and states (its counterfactual's too), by key."""
    out = {}
    for pathway in (scenario.pathway, scenario.economics.counterfactual if scenario.economics is not None else None):
        if pathway is not None:
            out.update({k: s.label for k, s in pathway.states.items() if s.label})
    out.update({k: m.label for k, m in scenario.milestones.items() if m.label})
    return out
