"""Demo contributions for ``seed_demo``: prior art, comments and ratings on open cases.

The documents are plausible but fictional citations written for the demo; identifiers use
reserved or made-up numbers so they point at nothing real.
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
    ("alice", "Exhaust heat recovery unit for charging a vehicle battery", 4),
    (
        "alice",
        "Federated autoencoders for anomaly detection on industrial IoT gateways",
        4,
    ),
]
