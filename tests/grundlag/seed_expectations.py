"""Independent expectations for the grundlag seed files in ``seed/grundlag/``.

This module is a hand-written check list taken from the municipalities' source documents
(000/002 Albertslund, 003 Vallensbæk, 004 Odense), not generated from the YAML files, so a test
can compare the transcription against it:

* ``EXPECTED`` maps a seed file stem (``"albertslund"`` for ``albertslund.yaml``) to its parts
  in order, each part key mapping to the elements of that part in order as tuples of
  ``(element key, kind, title, number of statements)``.
* ``VERBATIM`` maps a seed file stem to sentences and bullets copied word for word from the
  source (repaired only for line-break/page-break noise such as "op søger" -> "opsøger" or
  "medarbej-/der" -> "medarbejder"). Each must occur verbatim in some statement, element text,
  part framing or framework intro of that file (after collapsing runs of whitespace).
"""

EXPECTED: dict[str, dict[str, list[tuple[str, str, str, int]]]] = {
    "albertslund": {
        # 000: Medarbejder- og ledelsesgrundlag, all staff; text = "Værdier", statements = "Adfærd".
        "faelles": [
            ("vores-opgave", "theme", "Vores opgave", 3),
            ("mod", "theme", "Mod", 3),
            ("helhed", "theme", "Helhed", 3),
            ("relationer", "theme", "Relationer", 3),
        ],
        # 002: Ledelsesgrundlag, leaders; headings inferred (lost in the figure).
        "ledelsesgrundlag": [
            ("ledelse-politisk-ledet-myndighed", "theme", "Politisk ledet offentlig myndighed", 1),
            ("ledelse-helhed", "theme", "Helhed", 2),
            ("ledelse-mod", "theme", "Mod", 2),
            ("ledelse-relationer", "theme", "Relationer", 3),
            ("ledelse-retning", "theme", "Retning", 2),
        ],
    },
    "vallensbaek": {
        "vaerdier": [
            ("naervaer", "value", "Nærvær", 4),
            ("dialog", "value", "Dialog", 4),
            ("tillid", "value", "Tillid", 5),
        ],
        "den-naervaerende-medarbejder": [
            (
                "kompetent",
                "commitment",
                "Jeg er kompetent, og jeg stiller min faglighed til rådighed",
                1,
            ),
            ("paa-opdagelse", "commitment", "Jeg går på opdagelse, og jeg vil relationer", 1),
            ("loyal", "commitment", "Jeg er loyal, og jeg tager ansvar", 2),
            (
                "arbejdsmiljoe",
                "commitment",
                "Jeg passer på arbejdsmiljøet, og jeg bidrager til løsninger",
                2,
            ),
        ],
        "leder-i-naervaersorganisationen": [
            (
                "politisk-taeft-i-naervaersorganisationen",
                "competency",
                "Politisk tæft i nærværsorganisationen",
                2,
            ),
            (
                "naervaer-dialog-tillid-som-skarp-ledelse",
                "competency",
                "Nærvær, dialog og tillid som skarp ledelse",
                2,
            ),
            ("forandring-som-drivkraft", "competency", "Forandring som drivkraft", 1),
            ("ledelse-som-faellesskab", "competency", "Ledelse som fællesskab", 1),
            ("transparens-i-ledelse", "competency", "Transparens i ledelse", 1),
        ],
        "forventninger-til-ledere": [
            ("strategi-rammer-og-retning", "expectation_group", "Strategi, rammer og retning", 5),
            (
                "medarbejdere-kompetencer-og-forandring",
                "expectation_group",
                "Medarbejdere, kompetencer og forandring",
                8,
            ),
            (
                "relationer-faellesskab-og-omverden",
                "expectation_group",
                "Relationer, fællesskab og omverden",
                6,
            ),
            ("politisk-taeft", "expectation_group", "Politisk tæft", 5),
        ],
    },
    "odense": {
        # Source order: the two legs come before the four pejlemærker.
        "sammen-om-udvikling": [
            ("social-kapital", "foundation", "Social kapital", 0),
            ("samskabelse", "foundation", "Samskabelse", 3),
            ("mod", "pejlemaerke", "Mod", 2),
            ("udvikling", "pejlemaerke", "Udvikling", 2),
            ("handlekraft", "pejlemaerke", "Handlekraft", 2),
            ("faellesskab", "pejlemaerke", "Fællesskab", 2),
        ],
    },
}

VERBATIM: dict[str, list[str]] = {
    "albertslund": [
        # 000, shared part
        "Vi er én kommune og én organisation.",
        "Dette sætter retningen for vores fælles og individuelle opgave.",
        "Vi skal have samme tilgang til vores opgave, som vi ville ønske selv at opleve som "
        "borgere.",
        "Vi møder disse forandringer med mod og åbenhed.",
        "Vi engagerer os og tør tage drøftelserne, og vi opsøger aktivt dem, der mener noget "
        "andet og ser muligheder, vi ikke selv kan få øje på.",
        "og når vi laver prøvehandling.",
        "Dem insisterer vi på at lære af.",
        "Vi opsøger aktivt samarbejdspartnere i vores opgaveløsning.",
        "Vi har et fælles ansvar for det gode samarbejde.",
        # 002, leadership part
        "Ledelsesgrundlaget er ambitioner og normer for ledelse i Albertslund Kommune.",
        "I Albertslund er borgeren i centrum, derfor er vores indsats styret af en målsætning om "
        "at skabe værdi for byens borgere og virksomheder.",
        "Det gør vi med bevidsthed om, at kommunikation er vores stærkeste ledelsesredskab.",
        "Vi insisterer på helhed på mange måder:",
        "Vi afprøver grænsen for, hvad vi kan i Albertslund Kommune - i fællesskab, i byen og i "
        "verden udenfor.",
        "Vi er nysgerrige, understøttende og tydelige i samarbejdet med vores medarbejdere, og "
        "vi inviterer dem og borgere ind i arbejdet med at styrke og udvikle vores fælles "
        "indsats.",
        "Vi prioriterer ordentlighed og gennemsigtighed i vores adfærd og kommunikation.",
        "Vi giver medejerskab og medindflydelse til vores medarbejdere, og vi værdsætter solid "
        "faglighed, engagement og stærke arbejdsfællesskaber.",
    ],
    "vallensbaek": [
        # intro (foreword)
        "Sammen er vi alle en del af Vallensbæk.",
        "Derfor gælder medarbejdergrundlaget alle ansatte også for lederne.",
        # values
        "Vi har valgt at arbejde ud fra vores værdier i stedet for ud fra en bunke regler og "
        "retningslinjer.",
        "Vi bøjer os over hinandens rum og giver plads til feedback",
        'Vi er visionære og modige og tør udfordre vaner og "plejer"',
        "Vi tager dialogen før, under og efter en eventuel konflikt",
        # Den nærværende medarbejder
        "Der er gang i den her i kommunen, så vi har brug for, at alle bidrager med hver vores "
        "ressourcer - så vi både har drivkraft og stabilitet.",
        "Jeg tager ansvar for at være en kompetent medarbejder, så jeg også er attraktiv som "
        "medarbejder i fremtiden.",
        "Jeg bruger min og andres tid fornuftig, og jeg bruger ressourcerne med omhu.",
        "Derfor er arbejdsmiljøet i Valensbæk et fælles ansvar, som jeg tager aktivt medansvar "
        "for.",
        # Leder i nærværs-organisationen
        "I Vallensbæk Kommune vil og tør vi ledelse!",
        "Jeg stiller altid min og mine medarbejderes viden til rådighed for at kvalificere "
        "beslutninger.",
        "Derfor tager jeg ansvar for at udvikle egne og medarbejdernes kompetencer, så vi kan nå "
        "hele vejen rundt om kerneopgaven.",
        "Vi er få på hver post, og det er nødvendigt, at vi kan arbejde, udvikle og løse "
        "opgaverne sammen.",
        "Derfor tør jeg også træffe de nødvendige beslutninger, for jeg står på mål for "
        "beslutningen og vil gerne uddybe den.",
        # Ledelseskompetencer – Vores forventninger til ledere
        "Oversætter overordnede strategiske mål til forståelige mål for medarbejderne",
        "Tager rettidigt hånd om udfordringer med kompetencer, adfærd og sygefravær hos "
        "medarbejderne",
        "Kan håndtere relationer og dialoger med medarbejdere, borgere eller pårørende – også når "
        "den er svær",
        "Navigerer i krydspreset mellem det politiske og det faglige",
    ],
    "odense": [
        # framing
        "Kære medarbejder i Odense Kommune",
        "Medarbejdergrundlaget er blevet til i Hovedudvalget, og har sit afsæt i de "
        "forventninger, Ny virkelighed - Ny velfærd sætter til os alle sammen.",
        "Skabe udviklende arbejdspladser med en høj social kapital.",
        "Gå i dialog med hinanden og borgere for i fælleskab at udvikle nye velfærdsydelser.",
        "Udvikling og mod til at prøve nye ting af forudsætter en god ledelse og en arbejdsplads "
        "med en høj social kapital.",
        "Vi kan ikke løse fremtidens udfordringer alene ved fortidens løsninger.",
        # foundations
        "Social kapital er de ressourcer, vi udvikler gennem vores relationer.",
        "Derfor skal vi forsat arbejde på at øge og fastholde en høj social kapital i egen "
        "afdeling, mellem afdelinger og i relationen mellem medarbejdere og ledere på alle "
        "niveauer.",
        "Hvor vi tør lære af vores fejl, fordi vi er trygge ved hinanden",
        # pejlemærker
        "Mod er en forudsætning for, at vi kan udvikle os selv og vores arbejdsplads.",
        "Vi lærer af de fejl, vi begår og griber hinanden når det går galt",
        "Vi har en rummelig arbejdsplads, der ser styrken i forskellighederne",
        "Vi gør, det vi siger og går aktivt i med-, mod- og samspil med kolleger og ledelse "
        "samtidig med, at vi holder fokus på mål og retning.",
        "Ledelsen sætter tydelige rammer og retning",
        "Det er vores ambition i fællesskab at udvikle bedre og billigere velfærdsløsninger.",
        "Vi deler viden, succeser og erfaringer med hinanden",
    ],
}
