"""Every label the dashboard shows, in Swedish (the default) and English: pairs picked by
:mod:`sib.i18n`, the one mechanism the CLI, the workbook and the PDF use too."""

from __future__ import annotations

from sib.i18n import Catalogue, pick

LANGUAGES = {"Svenska": "sv", "English": "en"}

TEXT = Catalogue(
    {
        # navigation
        "page_start": ("Start: tre frågor", "Start: three questions"),
        "glossary": ("Ordlista", "Glossary"),
        "page_compare": ("Jämför", "Compare"),
        "page_edit": ("Scenarier", "Scenarios"),
        "page_sweep": ("Utfallsandel och risk", "Outcome share and risk"),
        "page_workshop": ("Workshop", "Workshop"),
        "page_assumptions": ("Antaganden och källor", "Assumptions and sources"),
        "title": ("Utfallskontrakt – simulering", "Outcome-based contracts – simulation"),
        # common controls
        "scenarios": ("Scenarier att jämföra (2–4)", "Scenarios to compare (2–4)"),
        "scenario": ("Scenario", "Scenario"),
        "reps": ("Antal simuleringar", "Number of simulations"),
        "seed": ("Startvärde för slumpen", "Random seed"),
        "run": ("Kör simuleringen", "Run the simulation"),
        "running": ("Simulerar …", "Simulating …"),
        "done_in": (
            "Klart på {s} s ({n} simuleringar per scenario, startvärde för slumpen {seed}).",
            "Done in {s} s ({n} replications per scenario, random seed {seed}).",
        ),
        "pick_placeholder": ("Välj scenarier", "Choose scenarios"),
        "pick_two": ("Välj minst två scenarier.", "Pick at least two scenarios."),
        "pick_at_most": ("Högst fyra scenarier åt gången.", "At most four scenarios at a time."),
        "press_run": ("Välj scenarier och tryck på *Kör simuleringen*.", "Pick scenarios and press *Run the simulation*."),
        "edited": ("ändrad", "edited"),
        # start page: the three questions
        "start_title": ("Vad vill ni veta?", "What do you want to know?"),
        "start_intro": (
            "Välj tjänst och fråga. sib simulerar avtalsformerna på samma slumptal och visar svaret på en gång. "
            "Allt går sedan att ändra under *Jämför* och *Scenarier*.",
            "Pick a service and a question. sib simulates the contract forms on the same random numbers and shows "
            "the answer at once. Everything can then be changed under *Compare* and *Scenarios*.",
        ),
        "service": ("Tjänst", "Service"),
        "q_budget": ("Vad kostar olika utfallsandelar oss per budgetår?", "What do different outcome shares cost us per budget year?"),
        "q_budget_help": (
            "Traditionellt avtal (0 %) mot 20, 40 och 60 % utfallsbaserad ersättning: kommunens hela kostnad år "
            "för år, när den betalas och när den tjänas in.",
            "A traditional contract (0 %) against 20, 40 and 60 % paid on outcomes: the municipality's whole cost "
            "year by year, when paid and when earned.",
        ),
        "q_cash": (
            "Klarar utföraren likviditetsgapet, och vilken kredit behövs?",
            "Can the provider carry the cash gap, and what credit does it need?",
        ),
        "q_cash_help": (
            "Utfallspengarna kommer månader i efterskott. Utförarens kassa månad för månad, hur ofta den inte "
            "räcker och hur mycket mer kredit som skulle bära utföraren.",
            "Outcome money arrives months in arrears. The provider's cash month by month, how often it does not "
            "suffice, and how much more credit would carry the provider.",
        ),
        "q_guarantee": ("Vad ändrar en garanti?", "What does a guarantee change?"),
        "q_guarantee_help": (
            "Samma avtal med Mikrofondens garanti, utan garanti och med kommunal borgen: hur mycket banken "
            "lånar ut, risken för utföraren och vad garantin kostar den som ställer den.",
            "The same contract with Mikrofonden's guarantee, without one, and with a municipal guarantee: what "
            "the bank lends, the provider's risk, and what the guarantee costs whoever gives it.",
        ),
        "question": ("Fråga", "Question"),
        "answer_budget": (
            "Kommunens hela kostnad per budgetår, mnkr: genomsnitt (de mittersta 90 % av simuleringarna)",
            "The municipality's whole cost per budget year, SEK m: average (the middle 90% of the simulations)",
        ),
        "answer_cash": ("Utförarens likviditet och den kredit som behövs", "The provider's liquidity and the credit it needs"),
        "answer_guarantee": ("Vad garantin ändrar", "What the guarantee changes"),
        "answer_range_help": (
            "Siffran framför parentesen är genomsnittet; inom parentes spannet där 90 % av simuleringarna "
            "hamnar. Risken har sitt konfidensintervall inom parentes: hur säker skattningen är.",
            "The figure before the brackets is the average; in brackets the range 90% of the simulations fall "
            "in. The risk has its confidence interval in brackets: how sure the estimate is.",
        ),
        # a provider that fails often: what the municipality's cost then means, by the stop rule
        "flag_risk_carried_on": (
            "**{name}**: utföraren kan inte betala i {risk} av simuleringarna. Kommunens kostnad räknar då "
            "med att kommunen för tjänsten vidare, inte med avtalet som det var tänkt.",
            "**{name}**: the provider cannot pay in {risk} of the simulations. The municipality's cost then "
            "includes carrying the service on itself, not the contract as intended.",
        ),
        "flag_risk_left_out": (
            "**{name}**: utföraren kan inte betala i {risk} av simuleringarna, och scenariot säger inte vad "
            "det kostar kommunen att föra tjänsten vidare: kommunens kostnad är för låg i de fallen.",
            "**{name}**: the provider cannot pay in {risk} of the simulations, and the scenario does not say "
            "what carrying the service on would cost the municipality: its cost is too low in those cases.",
        ),
        "flag_risk_continues": (
            "**{name}**: utförarens pengar räcker inte i {risk} av simuleringarna. Tjänsten fortsätter ändå "
            "i simuleringen; i verkligheten måste någon skjuta till pengar.",
            "**{name}**: the provider's money does not suffice in {risk} of the simulations. The service "
            "goes on in the simulation; in reality somebody must add money.",
        ),
        # compare page
        "differences": ("Vad skiljer scenarierna åt", "What differs between the scenarios"),
        "no_differences": ("Scenarierna har samma parametrar.", "The scenarios have the same parameters."),
        "parameter": ("Parameter", "Parameter"),
        "field": ("Fält i filen", "Field in the file"),
        "key_figures": ("Nyckeltal", "Key figures"),
        "key_figures_help": (
            "Under varje tal står dess felmarginal: där det sanna värdet ligger med 95 % säkerhet, givet antalet "
            "simuleringar (ett konfidensintervall). Fler simuleringar ger mindre felmarginal. Det är inte "
            "spridningen mellan utfallen: den visar tal som ”högst i 95 % av fallen” och diagrammen.",
            "Under each figure, its margin of error: where the true value lies with 95% certainty, given the number "
            "of simulations (a confidence interval). More simulations give a smaller margin. It is not the spread "
            'between outcomes: figures such as "at most in 95% of cases" and the charts show that.',
        ),
        "margin": ("felmarginal", "margin of error"),
        "fan": (
            "Utförarens kassa netto efter utnyttjad kredit, månadens lägsta",
            "The provider's cash net of credit drawn, lowest in each month",
        ),
        "fan_help": (
            "Band: 5–95 % och 25–75 % av simuleringarna, linje: median. Under noll lever utföraren på krediten; "
            "streckat: kreditgränsen — där tar pengarna slut.",
            "Bands: 5–95% and 25–75% of simulations, line: median. Below zero the provider lives on its credit; "
            "dashed: the credit limit — where the money runs out.",
        ),
        "credit_limit": ("Kreditgräns", "Credit limit"),
        "median": ("median", "median"),
        "budget_years": (
            "Kommunens hela kostnad per budgetår, genomsnitt och spannet för 90 % av simuleringarna",
            "The municipality's whole cost per budget year, average and the range of 90% of the simulations",
        ),
        "middle_90": ("90 % av simuleringarna", "90% of the simulations"),
        "budget_years_help": (
            "Staplar: allt kommunen betalar ut minus det den får tillbaka, i genomsnitt; de tunna strecken visar "
            "spannet där de mittersta 90 % av simuleringarna hamnar. Tjocka streck: det som betalades till utföraren "
            "– över stapeln där kommunen får tillbaka moms, under den där kommunen för tjänsten vidare efter att "
            "utföraren inte klarat sig.",
            "Bars: everything the municipality pays out less what it gets back, on average; the thin whiskers show "
            "the range the middle 90% of the simulations fall in. Thick marks: what was paid to the provider "
            "– above the bar where the municipality gets VAT back, below it where the municipality carries the "
            "service on after the provider failed.",
        ),
        "whole_cost": ("hela kostnaden", "whole cost"),
        "paid_to_provider": ("betalt till utföraren", "paid to the provider"),
        "cash": ("kassa (när det betalas)", "cash (when paid)"),
        "accrual": ("periodiserat (när det tjänades in)", "accrual (when earned)"),
        "basis": ("Redovisning", "Basis"),
        "distributions": ("Fördelningar", "Distributions"),
        "total_cost": ("Kommunens hela kostnad", "The municipality's whole cost"),
        "min_liquidity": ("Utförarens lägsta likviditet", "The provider's lowest liquidity"),
        "extra_credit": ("Extra kredit som bär utföraren i 95 % av fallen", "Extra credit that carries the provider in 95% of cases"),
        "flow": (
            "Deltagarnas väg genom insatsen (medel per simulering)",
            "Participants' flow through the intervention (mean per simulation)",
        ),
        "referred": ("Remitterade", "Referred"),
        "enrolled": ("Inskrivna", "Enrolled"),
        "not_enrolled": ("Ej inskrivna", "Not enrolled"),
        "drill": ("Öppna en enskild simulering", "Open one simulation"),
        "flow_of": ("Deltagarnas väg genom insatsen i", "The participants' way through the service in"),
        "drill_show": ("Visa dess kassa, händelser och huvudbok", "Show its cash, events and ledger"),
        "which_case": ("Vilket fall", "Which case"),
        "case_p05": ("5 % sämsta likviditet", "5th percentile of liquidity"),
        "case_p50": ("median", "median"),
        "case_p95": ("95 % bästa likviditet", "95th percentile of liquidity"),
        "cash_path": ("Kassa och likviditet dag för dag", "Cash and liquidity day by day"),
        "events": ("Händelser", "Events"),
        "ledger": ("Huvudbok", "Ledger"),
        "replication": ("Simulering nr", "Simulation no."),
        "stopped_on": (
            "Tjänsten upphörde {date}: utföraren kunde inte betala sina räkningar, och kommunen tog över deltagarna.",
            "The service stopped on {date}: the provider could not pay its bills, and the municipality took the participants over.",
        ),
        "stopped_mark": ("tjänsten upphör", "the service stops"),
        "downloads": ("Ladda ned", "Downloads"),
        "pdf": ("Sammanfattning för nämnden (PDF, två sidor)", "Summary for the council (PDF, two pages)"),
        "excel": ("Excel-arbetsbok: {name}", "Excel workbook: {name}"),
        "yaml": ("Scenario (YAML): {name}", "Scenario (YAML): {name}"),
        "cash_label": ("Kassa", "Cash"),
        "liquidity_label": ("Likviditet", "Liquidity"),
        "month": ("Månad", "Month"),
        "date": ("Datum", "Date"),
        "share_of_sims": ("Andel av simuleringarna", "Share of simulations"),
        # edit page
        "library": ("Scenariobibliotek", "Scenario library"),
        "library_help": (
            "Filerna i scenarios/, dina ändrade versioner och uppladdade filer. Ändra inställningarna nedan "
            "och spara som en ny version; den finns sedan att jämföra.",
            "The files in scenarios/, your edited versions and uploaded files. Change the settings below and "
            "save as a new version; it can then be compared.",
        ),
        "levers": ("Inställningar", "Settings"),
        "kept_in": ("Din version, sparad i {path}.", "Your version, kept in {path}."),
        "not_a_number": (
            "{label} ({path}): ”{text}” är inte ett tal; skriv till exempel 2 000 000 eller 0,25",
            '{label} ({path}): "{text}" is not a number; write for example 2,000,000 or 0.25',
        ),
        "usual_range": ("Vanligt spann: {lo} till {hi}. Decimalkomma eller punkt går bra.", "Usual range: {lo} to {hi}."),
        "new_name": ("Namn", "Name"),
        "rename": ("Byt namn", "Rename"),
        "delete": ("Ta bort", "Delete"),
        "group_contract": ("Kontraktet", "The contract"),
        "group_provider": (
            "Utförarens ekonomi: kostnader, personal, löner, egna pengar",
            "The provider's economy: costs, staff, pay, own cash",
        ),
        "group_participants": ("Deltagare och platser", "Participants and places"),
        "group_effect": ("Effektantaganden", "Effect assumptions"),
        "group_financing": ("Finansiering och risk", "Financing and risk"),
        "save_as": ("Spara som", "Save as"),
        "apply": ("Spara ändringarna", "Save the changes"),
        "saved": ("Sparat som **{name}**.", "Saved as **{name}**."),
        "no_changes": ("Inga ändringar.", "No changes."),
        "problems": ("Scenariot kan inte användas:", "The scenario cannot be used:"),
        "upload": ("Ladda upp ett scenario (YAML, högst 1 MB)", "Upload a scenario (YAML, at most 1 MB)"),
        "uploaded": ("Uppladdat: **{name}**.", "Uploaded: **{name}**."),
        "too_big": ("Filen är {size} byte; högst {limit} byte tas emot.", "The file is {size} bytes; at most {limit} bytes are accepted."),
        "download_yaml": ("Ladda ned scenariot som YAML", "Download the scenario as YAML"),
        "distribution_value": ("fördelning: {text} (ändras i filen)", "distribution: {text} (change it in the file)"),
        "unit_days": ("dagar", "days"),
        "unit_weeks": ("veckor", "weeks"),
        "unit_months": ("månader", "months"),
        "bad_file": ("{name} kan inte läsas", "{name} cannot be read"),
        # sweep page
        "sweep_param": ("Vad som ska prövas i olika nivåer", "What to try at different levels"),
        "sweep_from": ("Från", "From"),
        "sweep_to": ("Till", "To"),
        "sweep_step": ("Steg", "Step"),
        "step_positive": ("Steg: måste vara större än 0, angivet: {text}", "Step: must be greater than 0, got {text}"),
        "with_without": ("Med och utan garanti", "With and without the guarantee"),
        "with_guarantee": ("med garanti", "with guarantee"),
        "without_guarantee": ("utan garanti", "without guarantee"),
        "without_help": (
            "Utan garanti lånar banken bara ut det utförarens egen kreditvärdighet bär; med en garanti på högst G kr "
            "som täcker andelen g lånar den G / g mer.",
            "Without the guarantee the bank lends only what the provider's own standing carries; a guarantee of at most "
            "G kr covering a share g lets it lend G / g more.",
        ),
        "risk_threshold": ("Acceptabel risk att utföraren inte kan betala", "Acceptable risk that the provider cannot pay"),
        "insolvency_prob": ("Risk att utföraren inte kan betala", "Probability the provider cannot pay"),
        "municipal_cost": ("Kommunens hela kostnad, genomsnitt", "The municipality's whole cost, average"),
        "municipal_cost_help": (
            "Hela kostnaden: också det kommunen betalar för att föra tjänsten vidare när utföraren inte klarar sig "
            "– en utformning ser inte billigare ut bara för att utföraren går under.",
            "The whole cost: also what the municipality pays to carry the service on when the provider fails "
            "– a design does not look cheaper just because the provider goes under.",
        ),
        "cost_per_outcome": ("Betalt till utföraren per verifierat utfall", "Paid to the provider per verified outcome"),
        "break_even_highest": (
            "Brytpunkt: högsta {param} med risk under {risk}: **{value}** ({label}).",
            "Break-even: the highest {param} with a risk below {risk}: **{value}** ({label}).",
        ),
        "break_even_lowest": (
            "Brytpunkt: lägsta {param} som håller risken under {risk}: **{value}** ({label}).",
            "Break-even: the lowest {param} that keeps the risk below {risk}: **{value}** ({label}).",
        ),
        "too_many_values": (
            "{n} nivåer är för många att pröva på en gång (högst {most}): välj ett större steg.",
            "{n} levels are too many to try at once (at most {most}): choose a larger step.",
        ),
        "no_break_even": (
            "Ingen prövad nivå håller risken under {risk} ({label}).",
            "No level tried keeps the risk below {risk} ({label}).",
        ),
        "all_below": (
            "Alla prövade nivåer håller risken under {risk} ({label}).",
            "Every level tried keeps the risk below {risk} ({label}).",
        ),
        # workshop
        "workshop_intro": (
            "Fem steg, ett klick vart. Varje steg kör en riktig simulering.",
            "Five steps, one click each. Each step runs a real simulation.",
        ),
        "step": ("Steg {n}", "Step {n}"),
        "next_step": ("Nästa steg", "Next step"),
        "restart": ("Börja om", "Start again"),
        "spread": ("Varifrån spridningen kommer", "Where the spread comes from"),
        "spread_help": (
            "Andel av variansen mellan simuleringarna som de osäkra parametrarna (effekter och inflöde, dragna ur sina "
            "fördelningar i varje simulering) förklarar. Resten är slumpen i en grupp deltagare av känd kvalitet, "
            "som ingen förstudie kan ta bort. –: för få simuleringar för att skatta andelen.",
            "Share of the variance between simulations that the uncertain parameters (effects and referrals, drawn from "
            "their distributions in each simulation) explain. The rest is the luck of a group of participants of known "
            "quality, which no prior study can remove. –: too few simulations to estimate the share.",
        ),
        "spread_none": (
            "Scenariot har inga osäkra parametrar: all spridning är kohortens slump.",
            "The scenario has no uncertain parameters: all the spread is the cohort's luck.",
        ),
        "workshop_credit": ("Kredit: {limit}, {guarantee}.", "Credit: {limit}, {guarantee}."),
        "unchanged": ("oförändrat", "unchanged"),
        "result": ("Resultat", "Result"),
        "points": ("procentenheter", "percentage points"),
        "min_liquidity_p05": ("Utförarens lägsta likviditet, 5 % sämsta", "The provider's lowest liquidity, worst 5%"),
        # assumptions
        "value": ("Värde", "Value"),
        "source": ("Källa", "Source"),
        "references": ("Verk som citeras", "Works cited"),
        "sources_page": (
            "Källorna anges med nyckel inom hakparentes; hela förteckningen finns i projektets docs/sources.md.",
            "Sources cite works by their key in square brackets; the full list is in the project's docs/sources.md.",
        ),
        "left_out": ("Vad modellen lämnar utanför", "What the model leaves out"),
        "left_out_text": (
            "- Deltagarna är lika: inga riskgrupper, ingen *creaming* eller *parking*.\n"
            "- Räntan upphör vid obestånd; andra fordringsägare än banken räknas men följs inte.\n"
            "- Kontraktsvillkor är fasta tal (de är det som utformas); osäkra antaganden kan vara fördelningar.\n"
            "- Kontrafaktiskt förlopp och undvikna kostnader är antaganden i scenariot, inte uppmätta effekter.",
            "- Participants are alike: no risk tiers, no creaming or parking.\n"
            "- Interest stops at an insolvency; creditors other than the bank are counted, not followed.\n"
            "- Contract terms are fixed numbers (they are what is designed); uncertain assumptions may be distributions.\n"
            "- The counterfactual and avoided costs are assumptions of the scenario, not measured effects.",
        ),
    }
)


#: Fields that are not levers but that the reference variants change, by their path: their
#: label in the table of what differs between scenarios.
FIELDS: dict[str, tuple[str, str]] = {
    "contract.expected_value": ("Förväntat kontraktsvärde (givet)", "Expected contract value (given)"),
    "contract.fixed.in_advance": ("Fast månadsbelopp i förskott", "Monthly sum paid in advance"),
    "contract.grant": ("Betalas som bidrag (IOP), inte som köp", "Paid as a grant (IOP), not a purchase"),
    "provider.vat.compensation": ("Kommunen får momskompensation", "The municipality is compensated for VAT"),
    "provider.leases.holder": ("Hyreskontrakten hålls av", "The leases are held by"),
    "financing.guarantee.guarantor": ("Garant", "Guarantor"),
    "financing.guarantee.max_amount": ("Garantins högsta belopp", "The guarantee's maximum"),
    "financing.credit_line.interest_rate": ("Räntan på krediten", "The credit line's interest rate"),
}
#: The units the schema gives its fields, as a label shows them.
UNITS: dict[str, tuple[str, str]] = {
    "days": ("dagar", "days"),
    "weeks": ("veckor", "weeks"),
    "months": ("månader", "months"),
    "years": ("år", "years"),
    "kr": ("kr", "SEK"),
    "per month": ("per månad", "per month"),
    "per year": ("per år", "per year"),
    "participants": ("deltagare", "participants"),
}


def unit(name: str, lang: str) -> str:
    """A unit in ``lang`` (as written where it has no translation)."""
    pair = UNITS.get(name)
    return name if pair is None else pick(pair, lang)


#: The words a reader meets, each explained once: (term, meaning) in Swedish, then in English.
GLOSSARY: tuple[tuple[str, str, str, str], ...] = (
    (
        "Utfallsandel",
        "Den del av avtalets förväntade värde som betalas först när ett utfall (en bostad som behålls, ett "
        "jobb) har verifierats. Resten betalas som fasta ersättningar.",
        "Outcome share",
        "The part of the contract's expected value paid only once an outcome (a tenancy kept, a job) has been "
        "verified. The rest is paid as fixed fees.",
    ),
    (
        "Traditionellt avtal",
        "Ett avtal med 0 % på utfall: allt betalas för utförd tjänst. Jämförelsen för de andra.",
        "Traditional contract",
        "A contract with 0% on outcomes: everything is paid for the service delivered. The baseline.",
    ),
    (
        "IOP",
        "Idéburet offentligt partnerskap: kommunen ger ett bidrag som täcker kostnaderna, utan vinst och utan betalning på utfall.",
        "IOP",
        "A partnership with a non-profit (idéburet offentligt partnerskap): the municipality gives a grant "
        "that covers the costs, with no profit and nothing paid on outcomes.",
    ),
    (
        "Kommunens hela kostnad",
        "Allt kommunen betalar för insatsen – avtalet, egen administration och uppföljning, att föra "
        "tjänsten vidare om utföraren inte klarar sig – minus det den får tillbaka, som momskompensation.",
        "The municipality's whole cost",
        "Everything the municipality pays for the service – the contract, its own management "
        "and evaluation, carrying the service on if the provider fails – less what it gets back, such as VAT compensation.",
    ),
    (
        "Kassa och periodiserat",
        "Kassa: kostnaden det budgetår pengarna betalas. Periodiserat: det år tjänsten utfördes eller "
        "utfallet nåddes, även om fakturan betalas året efter.",
        "Cash and accrual",
        "Cash: the cost in the budget year the money is paid. Accrual: in the year the service was delivered "
        "or the outcome reached, even if the invoice is paid the year after.",
    ),
    (
        "Likviditet",
        "Utförarens kassa plus den kredit den inte har använt. Under noll har utföraren räkningar den inte kan betala i tid.",
        "Liquidity",
        "The provider's cash plus the credit it has not used. Below zero it has bills it cannot pay on time.",
    ),
    (
        "Likviditetsgap",
        "Utföraren betalar löner och hyror varje månad men får utfallspengarna månader senare: gapet måste "
        "bäras av egna pengar eller kredit.",
        "Cash gap",
        "The provider pays wages and rent every month but receives outcome money "
        "months later: the gap must be carried by its own money or credit.",
    ),
    (
        "Extra kredit som behövs",
        "Pengar utöver utförarens kassa och kredit som skulle ha burit den genom avtalet med alla räkningar betalda i tid.",
        "Extra credit needed",
        "Money beyond the provider's cash and credit that would have carried it through the contract with every bill paid on time.",
    ),
    (
        "Risk att utföraren inte kan betala",
        "Andelen simuleringar där bristen på pengar är mer än tillfällig: räkningar går förbi sin anståndstid (konkurslagen 1 kap. 2 §).",
        "Probability the provider cannot pay",
        "The share of simulations in which the shortage of money is more than temporary: bills run past their grace days.",
    ),
    (
        "Garanti och kommunal borgen",
        "Någon (Mikrofonden, en kommun) lovar banken att betala en del av krediten om utföraren "
        "inte kan. Banken lånar då ut mer: en garanti på högst G kr som täcker andelen g gör G / g mer möjligt.",
        "Guarantee",
        "Someone (Mikrofonden, a municipality) promises the bank to pay part of the credit if the provider cannot. "
        "The bank then lends more: a guarantee of at most G kr covering a share g makes G / g more possible.",
    ),
    (
        "Simulering",
        "Ett möjligt förlopp för avtalet, med deltagare som kommer och går på slumpens villkor. sib kör många och "
        "visar vad som är vanligt och vad som händer i de sämsta fallen.",
        "Simulation",
        "One possible course of the contract, "
        "with participants coming and going by chance. sib runs many and shows what is common and what happens in the worst cases.",
    ),
    (
        "Spannet för 90 % av simuleringarna",
        "Mellan 5:e och 95:e percentilen: 5 % av simuleringarna hamnar under och 5 % över.",
        "The range of 90% of the simulations",
        "Between the 5th and the 95th percentile: 5% of the simulations fall below it and 5% above.",
    ),
    (
        "Felmarginal",
        "Hur säkert ett genomsnitt eller en risk är skattat med så här många simuleringar: det sanna värdet ligger "
        "där med 95 % säkerhet (ett konfidensintervall). Inte detsamma som spridningen.",
        "Margin of error",
        "How surely an "
        "average or a risk is estimated with this many simulations: the true value lies there with 95% certainty (a confidence "
        "interval). Not the same as the spread.",
    ),
    (
        "Procentenheter",
        "Skillnaden mellan två andelar: från 5 % till 8 % är 3 procentenheter (men 60 % mer).",
        "Percentage points",
        "The difference between two shares: from 5% to 8% is 3 percentage points (but 60% more).",
    ),
    (
        "Startvärde för slumpen",
        "Samma startvärde ger samma simuleringar, så att en jämförelse kan göras om exakt.",
        "Random seed",
        "The same seed gives the same simulations, so that a comparison can be repeated exactly.",
    ),
)


def glossary(lang: str) -> str:
    """The glossary as Markdown, in ``lang``."""
    return "\n".join(f"**{pick((sv, en), lang)}** – {pick((sv_text, en_text), lang)}\n" for sv, sv_text, en, en_text in GLOSSARY)


def text(lang: str):
    """A function from a label's key to its text in ``lang`` (keyword arguments fill it in)."""

    def t(key: str, **values: object) -> str:
        return TEXT(key, lang, **values)

    return t


def keys() -> list[str]:
    return list(TEXT)
