"""Demo contributions for ``seed_demo``: prior art, comments, ratings and reports.

The documents are plausible but fictional citations written for the demo; identifiers use
reserved or made-up numbers so they point at nothing real. Items are submitted in this
order, and ``vet`` ones are vetted by the demo reviewer right away; a contributor with
nothing vetted yet (``carol``) is held for screening, as on the live site. On the open
case NP 2025/004417 the reviewer finds a queue: items waiting, two held, one reported,
one suspected duplicate. The items on NP 2024/015538 are vetted, rated, and forwarded to
the examiner when ``seed_demo`` closes that case.
"""

PRIOR_ART = [
    {
        "case": "NP 2025/004417",
        "author": "alice",
        "vet": True,
        "kind": "publication",
        "title": "Automotive thermoelectric generator with exhaust bypass control",
        "authors": "H. Lindqvist, M. Okafor",
        "published_on": "2011-04-12",
        "published_on_precision": "day",
        "identifier": "doi:10.5555/demo.2011.0412",
        "url": "",
        "excerpt": (
            "A bismuth telluride generator on the exhaust pipe feeds a DC-DC converter run "
            "with maximum power point tracking. A thermocouple on the hot-side plate opens a "
            "bypass flap above 250 °C so that the modules are not damaged at full load."
        ),
        "relevance": (
            "Describes the heat exchanger, the module, the MPPT converter, the hot-side "
            "sensor and the bypass valve of claim 1, fourteen years before the priority date."
        ),
        "mappings": {
            1: "Section 2 and figure 3 show every element of claim 1, including the bypass "
            "opened on hot-side temperature while the converter keeps charging.",
            11: "Section 4 applies MPPT per module segment, which is claim 11.",
        },
    },
    {
        "case": "NP 2025/004417",
        "author": "bob",
        "vet": True,
        "kind": "patent",
        "title": "Exhaust heat recovery unit for charging a vehicle battery",
        "authors": "Nordwerk Fahrzeugtechnik GmbH",
        "published_on": "2009-11-01",
        "published_on_precision": "month",
        "identifier": "DE 10 2009 000 123 A1",
        "url": "",
        "excerpt": (
            "The recovered electrical energy is first stored in the auxiliary battery and "
            "transferred to the traction battery of the hybrid drive when the state of "
            "charge of the auxiliary battery exceeds 90 %."
        ),
        "relevance": "Anticipates the transfer of surplus energy to a traction battery.",
        "mappings": {
            8: "Paragraph 31 transfers surplus charge to the traction battery (claim 8).",
            9: "The 90 % threshold in paragraph 32 is the condition of claim 9.",
        },
    },
    {
        "case": "NP 2024/011982",
        "author": "bob",
        "vet": True,
        "kind": "publication",
        "title": "Federated autoencoders for anomaly detection on industrial IoT gateways",
        "authors": "S. Raman, L. Ferreira",
        "published_on": "2019",
        "published_on_precision": "year",
        "identifier": "doi:10.5555/demo.2019.fedae",
        "url": "",
        "excerpt": (
            "Each gateway trains an autoencoder locally; only weight updates, clipped and "
            "perturbed with Gaussian noise, are sent to the aggregation server, which "
            "averages them and returns the global model and a reconstruction-error threshold."
        ),
        "relevance": "Local training, noised updates and a server-set threshold, as in claim 1.",
        "mappings": {
            1: "The paper's algorithm 1 matches the steps of claim 1 one for one.",
        },
    },
    {
        "case": "NP 2024/019305",
        "author": "alice",
        "vet": False,
        "kind": "standard",
        "title": "Beam management enhancements: predicted L1-RSRP reporting (discussion paper)",
        "authors": "Demo Telecom Ltd",
        "published_on": "2022-08",
        "published_on_precision": "month",
        "identifier": "https://example.org/3gpp/R1-2200000",
        "url": "https://example.org/3gpp/R1-2200000",
        "excerpt": (
            "The UE reports, in addition to measured L1-RSRP for a subset of beams, a "
            "predicted L1-RSRP for non-measured beams obtained from a trained model."
        ),
        "relevance": "Proposes reporting predicted power for unmeasured beams before 2024.",
        "mappings": {
            1: "Proposal 2 is the reporting of predicted received power of claim 1.",
        },
    },
    # --- Waiting in the reviewer's queue on NP 2025/004417 ---------------------------
    {
        "case": "NP 2025/004417",
        "author": "bob",
        "vet": False,
        "kind": "publication",
        "title": "Segmented thermoelectric generators with per-segment MPPT in passenger cars",
        "authors": "R. Almeida, K. Varga",
        "published_on": "2016-06",
        "published_on_precision": "month",
        "identifier": "doi:10.5555/demo.2016.segteg",
        "url": "",
        "excerpt": (
            "The generator is divided into four segments along the exhaust flow. Each "
            "segment has its own boost converter with perturb-and-observe tracking, "
            "because the upstream segments run up to 120 K hotter than the last one."
        ),
        "relevance": "Per-segment converters with their own MPPT, as in claim 11.",
        "mappings": {
            11: "Figure 5 shows one converter per segment, each tracking its own maximum "
            "power point, which is the arrangement of claim 11.",
        },
    },
    {
        "case": "NP 2025/004417",
        "author": "alice",
        "vet": False,
        "kind": "web_page",
        "title": "Exhaust heat recovery trial on a delivery van fleet",
        "authors": "Demo Fleet Services",
        "published_on": "2018",
        "published_on_precision": "year",
        "identifier": "https://example.org/fleet/teg-trial-2018",
        "url": "https://example.org/fleet/teg-trial-2018",
        "excerpt": (
            "Twelve vans ran for a year with a thermoelectric unit on the exhaust that "
            "kept the 12 V battery charged; a flap protected the unit at motorway speed."
        ),
        "relevance": "A public trial of the claimed charger, with its protective bypass.",
        "mappings": {
            1: "The trial report describes the heat exchanger, generator, charger and "
            "protective flap of claim 1 in use on public roads.",
        },
    },
    {
        "case": "NP 2025/004417",
        "author": "carol",
        "vet": False,
        "kind": "publication",
        "title": "Coolant-cooled thermoelectric modules for exhaust heat recovery (MSc thesis)",
        "authors": "C. Demo",
        "published_on": "2013-09-30",
        "published_on_precision": "day",
        "identifier": "https://example.org/theses/2013/teg-coolant",
        "url": "https://example.org/theses/2013/teg-coolant",
        "excerpt": (
            "The cold side of each module is clamped to a plate through which engine "
            "coolant flows, keeping it below 90 °C at every operating point tested."
        ),
        "relevance": "Shows the cold-side plate cooled by the engine coolant circuit.",
        "mappings": {
            1: "Chapter 3 describes the cold-side plate in the coolant circuit of claim 1.",
        },
    },
    {
        "case": "NP 2025/004417",
        "author": "carol",
        "vet": False,
        "kind": "publication",
        "title": "TEG with hot-side bypass flap (Lindqvist and Okafor)",
        "authors": "H. Lindqvist, M. Okafor",
        "published_on": "2011",
        "published_on_precision": "year",
        # The same DOI as alice's vetted paper: the queue marks it a suspected duplicate.
        "identifier": "doi:10.5555/demo.2011.0412",
        "url": "",
        "excerpt": "A bypass flap opens above 250 °C to protect the modules.",
        "relevance": "The bypass valve of claim 1.",
        "mappings": {
            1: "The flap controlled by the hot-side temperature is the bypass of claim 1.",
        },
    },
    # --- Forwarded to the examiner on NP 2024/015538 (closed by seed_demo) -----------
    {
        "case": "NP 2024/015538",
        "author": "alice",
        "vet": True,
        "kind": "publication",
        "title": "Proportional regenerative braking for pedelecs using brake lever position",
        "authors": "J. Moreau, T. Sato",
        "published_on": "2014-03-18",
        "published_on_precision": "day",
        "identifier": "doi:10.5555/demo.2014.pedelec",
        "url": "",
        "excerpt": (
            "A Hall sensor in the lever body measures travel. In the first 30 % of "
            "travel, before the pads touch the rotor, the hub motor regenerates with a "
            "torque proportional to travel; beyond that the mechanical brake engages."
        ),
        "relevance": (
            "Discloses the split of lever travel between regeneration and friction "
            "braking, and the Hall-effect lever sensor."
        ),
        "mappings": {
            1: "Section 3 and figure 2: regeneration proportional to lever travel before "
            "the friction brake engages, charging the battery.",
            2: "The lever sensor is a Hall sensor with a magnet on the lever (figure 4).",
            6: "The braking method of section 3 has both ranges of claim 6.",
        },
    },
    {
        "case": "NP 2024/015538",
        "author": "bob",
        "vet": True,
        "kind": "patent_application",
        "title": "Hub motor controller with lever-actuated regeneration",
        "authors": "Kitaguni Cycle Components Co.",
        "published_on": "2012-07",
        "published_on_precision": "month",
        "identifier": "JP 2012-000456 A",
        "url": "",
        "excerpt": (
            "When the brake lever switch closes, the controller drives the motor as a "
            "generator and charges the battery; the braking current rises with the "
            "signal of a potentiometer in the lever."
        ),
        "relevance": "Regeneration controlled by a lever position signal.",
        "mappings": {
            1: "Paragraphs 14 to 18 describe regeneration rising with the lever signal.",
            6: "The same paragraphs describe the method, though not the second range.",
        },
    },
    {
        "case": "NP 2024/015538",
        "author": "alice",
        "vet": True,
        "kind": "product",
        "title": "Volta E-Hub 350 owner's manual, section 6: regenerative braking",
        "authors": "Volta Bikes (demo)",
        "published_on": "2016-02",
        "published_on_precision": "month",
        "identifier": "https://example.org/volta/e-hub-350-manual",
        "url": "https://example.org/volta/e-hub-350-manual",
        "excerpt": (
            "Regeneration is reduced when the battery is above 95 % or below 0 °C and "
            "fades out over one second so that braking feels the same. The display shows "
            "the energy recovered on each ride."
        ),
        "relevance": "A product on sale that limits and fades out regeneration.",
        "mappings": {
            3: "Section 6.2: regeneration limited by state of charge and temperature.",
            4: "Section 6.2: the fade-out over one second when the battery is full.",
            7: "Section 7: the handlebar display shows the energy recovered per ride.",
        },
    },
    {
        "case": "NP 2024/015538",
        "author": "bob",
        "vet": True,
        "kind": "web_page",
        "title": "Holding speed on long descents with e-MTB motor regeneration",
        "authors": "Trail Tech Journal (demo)",
        "published_on": "2017-09-04",
        "published_on_precision": "day",
        "identifier": "https://example.org/trail-tech/descent-regen",
        "url": "https://example.org/trail-tech/descent-regen",
        "excerpt": (
            "Above 25 km/h downhill the controller regenerates on its own, holding the "
            "speed without the rider touching the levers."
        ),
        "relevance": "Speed-holding regeneration without lever movement (claim 5).",
        "mappings": {
            5: "The descent mode regenerates without lever input above a set speed.",
        },
    },
]

COMMENTS = [
    {
        "case": "NP 2025/004417",
        "author": "bob",
        "claim": 1,
        "body": (
            "Claim 1 reads on most exhaust TEG prototypes from the 2000s. The bypass valve "
            "was a common way to protect the modules; see the SAE papers from 2008 onwards."
        ),
        "replies": [
            {
                "author": "alice",
                "body": "Agreed. I have submitted the 2011 paper that shows the bypass "
                "controlled by the hot-side temperature.",
            }
        ],
    },
    {
        "case": "NP 2024/011982",
        "author": "alice",
        "claim": None,
        "body": "Does anyone know of a deployed product that did this before 2023?",
        "replies": [],
    },
]

# (rater, title of the rated prior art, rating)
RATINGS = [
    ("bob", "Automotive thermoelectric generator with exhaust bypass control", 5),
    (
        "bob",
        "Proportional regenerative braking for pedelecs using brake lever position",
        5,
    ),
    ("bob", "Volta E-Hub 350 owner's manual, section 6: regenerative braking", 4),
    ("alice", "Hub motor controller with lever-actuated regeneration", 4),
    ("alice", "Holding speed on long descents with e-MTB motor regeneration", 3),
    (
        "carol",
        "Proportional regenerative braking for pedelecs using brake lever position",
        4,
    ),
    ("alice", "Exhaust heat recovery unit for charging a vehicle battery", 4),
    (
        "alice",
        "Federated autoencoders for anomaly detection on industrial IoT gateways",
        4,
    ),
]

# The demo reviewer's own ratings: (title, rating, note for the other reviewers)
REVIEWER_RATINGS = [
    (
        "Proportional regenerative braking for pedelecs using brake lever position",
        5,
        "Anticipates claims 1, 2 and 6 outright.",
    ),
    ("Hub motor controller with lever-actuated regeneration", 4, ""),
    (
        "Volta E-Hub 350 owner's manual, section 6: regenerative braking",
        4,
        "Check the manual's publication date against the priority date.",
    ),
    ("Holding speed on long descents with e-MTB motor regeneration", 3, ""),
]

# Open reports: (reporter, title of the reported prior art, reason, details)
FLAGS = [
    (
        "bob",
        "Exhaust heat recovery trial on a delivery van fleet",
        "other",
        "The link goes to the company's sales page, not to the trial report.",
    ),
]
