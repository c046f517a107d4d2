"""Demo content for OpenDocket: agencies, technology areas, cases and claims.

Pure data, no logic. Everything here is fictional: the agencies, the references and
the cases. A seeding command turns ``priority_days_ago`` into a date relative to today
and sets each case's review window to match its ``state`` (``forwarded``: the seeding
command opens the case, has evidence submitted and vetted, closes it and forwards the
dossier). Each claim's ``depends_on`` is the number of an earlier claim of the same
case, or ``None`` for an independent claim.
"""

AGENCIES = [
    {
        "slug": "patent-office",
        "name": "Northland Patent and Trademark Office",
        "website": "https://patent-office.example.org/",
        "description": (
            "The national authority that examines and grants patents and registers "
            "trade marks in Northland. It publishes selected pending patent "
            "applications on OpenDocket so that the public can point examiners to "
            "prior art before a decision is made."
        ),
    },
    {
        "slug": "energy-regulator",
        "name": "Northland Energy and Environment Regulator",
        "website": "https://energy-regulator.example.org/",
        "description": (
            "The independent regulator for energy networks, energy efficiency and "
            "environmental reporting in Northland. It publishes draft rules on "
            "OpenDocket, provision by provision, and asks for existing standards, "
            "studies and practice that show whether each provision is workable."
        ),
    },
]

AREAS = [
    {
        "slug": "batteries-energy-storage",
        "name": "Batteries and energy storage",
        "description": (
            "Battery cells and packs, charging, battery management, thermal and "
            "electrochemical storage, and the connection of storage to the grid."
        ),
    },
    {
        "slug": "software-data-processing",
        "name": "Software and data processing",
        "description": (
            "Computer-implemented methods, machine learning, databases, storage "
            "systems and distributed computing."
        ),
    },
    {
        "slug": "medical-devices",
        "name": "Medical devices",
        "description": (
            "Diagnostic and therapeutic devices, catheters, implants, sensors worn on "
            "or placed in the body, and the methods of using them."
        ),
    },
    {
        "slug": "telecommunications",
        "name": "Telecommunications",
        "description": (
            "Mobile and fixed networks, radio access, antennas and beamforming, and "
            "network protocols."
        ),
    },
    {
        "slug": "mechanical-engineering",
        "name": "Mechanical engineering",
        "description": (
            "Machines, gears and transmissions, bearings, heat exchangers, and "
            "mechanical parts of energy systems."
        ),
    },
    {
        "slug": "chemistry-materials",
        "name": "Chemistry and materials",
        "description": (
            "Polymers, coatings, composites, catalysts, and the processes for making "
            "and applying them."
        ),
    },
    {
        "slug": "environmental-regulation",
        "name": "Environmental regulation",
        "description": (
            "Draft rules on emissions reporting, recycling obligations, energy "
            "efficiency and grid connection, and the standards they rely on."
        ),
    },
    {
        "slug": "vehicles-transport",
        "name": "Vehicles and transport",
        "description": (
            "Cars, bicycles and light electric vehicles, their drivetrains and "
            "braking, and vehicle energy recovery."
        ),
    },
]

CASES = [
    {
        "agency": "patent-office",
        "reference": "NP 2025/004417",
        "title": (
            "Thermoelectric charging system for a vehicle auxiliary battery using "
            "exhaust gas heat"
        ),
        "abstract": (
            "A charging system recovers waste heat from the exhaust of an internal "
            "combustion engine to charge a vehicle's auxiliary battery. A heat "
            "exchanger on the exhaust pipe feeds the hot side of a thermoelectric "
            "generator module, whose cold side is cooled by the engine coolant "
            "circuit. A DC-DC converter, run by a controller using maximum power "
            "point tracking, converts the generator's variable output into a charging "
            "current. A temperature sensor on the hot side lets the controller open "
            "an exhaust bypass valve before the thermoelectric material overheats, so "
            "that the system keeps charging at high engine load without damage. The "
            "module may be split into segments along the exhaust flow, each with its "
            "own converter input stage. Surplus energy can be passed to the traction "
            "battery of a hybrid vehicle. The application also claims the "
            "corresponding charging method and a vehicle fitted with the system."
        ),
        "body": (
            "<p>Thermoelectric generators on exhaust systems have been studied by "
            "vehicle makers for many years. The applicant says the combination that "
            "matters here is maximum power point tracking together with a "
            "temperature-controlled exhaust bypass, so that the generator keeps "
            "charging at high load instead of being switched off.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>Earlier patents, papers or test reports describing exhaust "
            "thermoelectric generators with a bypass valve controlled by hot-side "
            "temperature.</li>"
            "<li>Maximum power point tracking applied to thermoelectric generators, "
            "especially with segmented modules and separate converter stages (claims "
            "11 and 12).</li>"
            "<li>Transfer of recovered energy from an auxiliary battery to a traction "
            "battery (claims 8 and 9).</li></ul>"
            "<p>Evidence must be public before the priority date. Conference papers "
            "from automotive engineering societies are often the best source.</p>"
        ),
        "areas": [
            "batteries-energy-storage",
            "vehicles-transport",
            "mechanical-engineering",
        ],
        "language": "en",
        "priority_days_ago": 540,
        "state": "open",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A battery charging system for a vehicle having an internal "
                    "combustion engine, the system comprising: a heat exchanger "
                    "configured to be mounted on an exhaust conduit of the engine and "
                    "having a hot-side surface in thermal contact with exhaust gas "
                    "flowing through the exhaust conduit; a thermoelectric generator "
                    "module comprising a plurality of thermoelectric couples arranged "
                    "between the hot-side surface and a cold-side plate, the "
                    "cold-side plate being in thermal contact with a coolant circuit "
                    "of the vehicle; a DC-DC converter electrically connected to an "
                    "output of the thermoelectric generator module; a temperature "
                    "sensor arranged to measure a temperature of the hot-side "
                    "surface; a bypass valve arranged in the exhaust conduit and "
                    "operable to divert at least part of the exhaust gas away from "
                    "the heat exchanger; and a controller configured to operate the "
                    "DC-DC converter in a maximum power point tracking mode to charge "
                    "an auxiliary battery of the vehicle, and to open the bypass "
                    "valve when the measured temperature exceeds a predetermined "
                    "threshold while continuing to operate the DC-DC converter."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The battery charging system of claim 1, wherein the "
                    "thermoelectric couples comprise legs of a skutterudite or "
                    "half-Heusler semiconductor material."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The battery charging system of claim 1, wherein the "
                    "predetermined threshold is between 450 °C and 550 °C."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The battery charging system of claim 1, wherein, in the maximum "
                    "power point tracking mode, the controller perturbs an input "
                    "voltage of the DC-DC converter at intervals of between 10 ms and "
                    "500 ms and retains the direction of perturbation that increases "
                    "an output power of the DC-DC converter."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "The battery charging system of claim 4, wherein the controller "
                    "suspends the perturbation and holds the last input voltage while "
                    "an engine load signal changes faster than a predetermined rate."
                ),
                "depends_on": 4,
            },
            {
                "number": 6,
                "text": (
                    "The battery charging system of claim 1, wherein the heat "
                    "exchanger comprises internal fins whose pitch decreases in the "
                    "direction of exhaust gas flow."
                ),
                "depends_on": 1,
            },
            {
                "number": 7,
                "text": (
                    "The battery charging system of claim 6, wherein the internal "
                    "fins carry a catalytic washcoat."
                ),
                "depends_on": 6,
            },
            {
                "number": 8,
                "text": (
                    "The battery charging system of claim 1, further comprising a "
                    "bidirectional converter connecting the auxiliary battery to a "
                    "traction battery of the vehicle, wherein the controller is "
                    "configured to transfer energy from the auxiliary battery to the "
                    "traction battery when a state of charge of the auxiliary battery "
                    "exceeds an upper limit."
                ),
                "depends_on": 1,
            },
            {
                "number": 9,
                "text": (
                    "The battery charging system of claim 8, wherein the upper limit "
                    "is between 85 % and 95 % of a rated capacity of the auxiliary "
                    "battery."
                ),
                "depends_on": 8,
            },
            {
                "number": 10,
                "text": (
                    "The battery charging system of claim 1, wherein the cold-side "
                    "plate comprises a channel through which coolant of the coolant "
                    "circuit flows, and the controller is configured to increase a "
                    "speed of a coolant pump when a temperature difference across the "
                    "thermoelectric generator module falls below a lower limit."
                ),
                "depends_on": 1,
            },
            {
                "number": 11,
                "text": (
                    "The battery charging system of claim 1, wherein the "
                    "thermoelectric generator module is divided into at least two "
                    "electrically independent segments arranged one after the other "
                    "in the direction of exhaust gas flow, and the DC-DC converter "
                    "comprises a separate input stage for each segment."
                ),
                "depends_on": 1,
            },
            {
                "number": 12,
                "text": (
                    "The battery charging system of claim 11, wherein the controller "
                    "tracks a maximum power point separately for each segment."
                ),
                "depends_on": 11,
            },
            {
                "number": 13,
                "text": (
                    "A method of charging an auxiliary battery of a vehicle, the "
                    "method comprising: passing exhaust gas of an internal combustion "
                    "engine through a heat exchanger in thermal contact with a hot "
                    "side of a thermoelectric generator; cooling a cold side of the "
                    "thermoelectric generator with coolant of the engine; converting "
                    "an electrical output of the thermoelectric generator with a "
                    "DC-DC converter operated under maximum power point tracking to "
                    "produce a charging current for the auxiliary battery; measuring "
                    "a temperature of the hot side; and when the measured temperature "
                    "exceeds a threshold, diverting at least part of the exhaust gas "
                    "away from the heat exchanger while continuing to charge the "
                    "auxiliary battery from the thermoelectric generator."
                ),
                "depends_on": None,
            },
            {
                "number": 14,
                "text": (
                    "The method of claim 13, wherein diverting comprises modulating "
                    "the opening of a bypass valve so as to hold the measured "
                    "temperature within a band below the threshold."
                ),
                "depends_on": 13,
            },
            {
                "number": 15,
                "text": (
                    "The method of claim 13, further comprising estimating an initial "
                    "maximum power point from the measured temperature and a "
                    "temperature of the coolant before starting the maximum power "
                    "point tracking."
                ),
                "depends_on": 13,
            },
            {
                "number": 16,
                "text": (
                    "The method of claim 15, wherein the estimating uses a lookup "
                    "table stored in the controller at manufacture."
                ),
                "depends_on": 15,
            },
            {
                "number": 17,
                "text": (
                    "The method of claim 13, further comprising, after a cold start "
                    "of the engine, disabling the charging until a catalytic "
                    "converter of the vehicle has reached its light-off temperature."
                ),
                "depends_on": 13,
            },
            {
                "number": 18,
                "text": (
                    "The method of claim 13, further comprising displaying to a "
                    "driver of the vehicle the energy recovered during a trip."
                ),
                "depends_on": 13,
            },
            {
                "number": 19,
                "text": "A vehicle comprising the battery charging system of claim 1.",
                "depends_on": 1,
            },
            {
                "number": 20,
                "text": (
                    "The vehicle of claim 19, wherein the vehicle is a hybrid "
                    "electric vehicle and the auxiliary battery is a 12 V or 48 V "
                    "battery."
                ),
                "depends_on": 19,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2024/011982",
        "title": (
            "Privacy-preserving anomaly detection for edge devices using federated "
            "learning"
        ),
        "abstract": (
            "A method detects anomalies in the operational data of many edge devices "
            "without moving that data to a central server. Each client node trains a "
            "local copy of an autoencoder on its own data and sends only a parameter "
            "update to a coordinating server. The server clips each update, adds "
            "calibrated Gaussian noise to the aggregate and builds a global model, "
            "which it returns to the nodes. Each node then scores new data by the "
            "reconstruction error of the global model and compares it with a "
            "threshold derived from the recent distribution of its own errors, so "
            "that alerts adapt to local conditions. The server can exclude updates "
            "that stray too far from the coordinate-wise median, which protects the "
            "model from faulty or compromised nodes. Uses include industrial sensors "
            "and cellular base stations."
        ),
        "body": (
            "<p>Federated learning, differential privacy and autoencoder-based "
            "anomaly detection are each well known. The examiner needs to know "
            "whether they had already been combined in the way claim 1 describes, and "
            "whether the dependent claims add anything a skilled person would not "
            "have done routinely.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>Papers, preprints or open-source projects that ran federated "
            "autoencoders for anomaly detection with per-node thresholds.</li>"
            "<li>Robust aggregation, such as median-based filtering or trimmed means, "
            "used to flag compromised clients (claims 4, 5 and 10).</li>"
            "<li>Federated anomaly detection on mobile network performance data "
            "(claim 11).</li></ul>"
            "<p>For software releases, give the version number and a link to the "
            "archived release, not just the repository's front page.</p>"
        ),
        "areas": ["software-data-processing", "telecommunications"],
        "language": "en",
        "priority_days_ago": 720,
        "state": "open",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A computer-implemented method of detecting anomalies in "
                    "operational data of a plurality of edge devices, the method "
                    "comprising: receiving, at a coordinating server, from each of a "
                    "plurality of client nodes, an update to parameters of an "
                    "autoencoder model, each update having been computed by the "
                    "respective client node on locally stored operational data that "
                    "is not transmitted to the coordinating server; clipping each "
                    "update to a maximum norm and adding calibrated Gaussian noise to "
                    "an aggregate of the clipped updates; computing a global model "
                    "from the aggregate; distributing the global model to the client "
                    "nodes; at each client node, computing a reconstruction error of "
                    "the global model for new operational data and comparing the "
                    "reconstruction error with a node-specific threshold derived from "
                    "a distribution of reconstruction errors on recent local "
                    "operational data; and generating an anomaly alert when the "
                    "reconstruction error exceeds the node-specific threshold."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The method of claim 1, wherein the node-specific threshold is a "
                    "quantile of the distribution between the 99th and the 99.9th "
                    "percentile."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The method of claim 1, wherein each client node weights its "
                    "update by the number of local samples used to compute it, and "
                    "the coordinating server receives the weighted update but not the "
                    "number of local samples."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The method of claim 1, further comprising identifying, at the "
                    "coordinating server, any client node whose update differs from a "
                    "coordinate-wise median of the updates by more than a robustness "
                    "bound, and excluding the update of that client node from the "
                    "aggregate."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "The method of claim 4, further comprising flagging each client "
                    "node whose update was excluded as possibly compromised."
                ),
                "depends_on": 4,
            },
            {
                "number": 6,
                "text": (
                    "The method of claim 1, wherein the autoencoder model is a long "
                    "short-term memory autoencoder operating on sliding windows of "
                    "multivariate sensor time series."
                ),
                "depends_on": 1,
            },
            {
                "number": 7,
                "text": (
                    "The method of claim 1, further comprising grouping the client "
                    "nodes into clusters according to a similarity of their updates, "
                    "and computing a separate global model for each cluster."
                ),
                "depends_on": 1,
            },
            {
                "number": 8,
                "text": (
                    "The method of claim 1, further comprising, at each client node, "
                    "fine-tuning only a final layer of the global model on the local "
                    "operational data before computing the reconstruction error."
                ),
                "depends_on": 1,
            },
            {
                "number": 9,
                "text": (
                    "A system for detecting anomalies, comprising a coordinating "
                    "server and a plurality of client nodes, each of the coordinating "
                    "server and the client nodes comprising a processor and a memory "
                    "storing instructions that, when executed, cause: each client "
                    "node to train a local copy of an anomaly detection model on "
                    "local operational data and to send a model update, without the "
                    "local operational data, to the coordinating server; the "
                    "coordinating server to aggregate the model updates according to "
                    "a robust aggregation rule to form a global model and to return "
                    "the global model to the client nodes; and each client node to "
                    "score new operational data with the global model against an "
                    "adaptive threshold and to raise an alert when a score exceeds "
                    "the adaptive threshold."
                ),
                "depends_on": None,
            },
            {
                "number": 10,
                "text": (
                    "The system of claim 9, wherein the robust aggregation rule is a "
                    "coordinate-wise trimmed mean."
                ),
                "depends_on": 9,
            },
            {
                "number": 11,
                "text": (
                    "The system of claim 9, wherein the client nodes are base "
                    "stations of a cellular network and the operational data comprise "
                    "key performance indicators of the base stations."
                ),
                "depends_on": 9,
            },
            {
                "number": 12,
                "text": (
                    "A non-transitory computer-readable medium storing instructions "
                    "that, when executed by one or more processors, cause the one or "
                    "more processors to perform the method of claim 1."
                ),
                "depends_on": 1,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2025/000873",
        "title": (
            "Pressure-sensing guidewire catheter with optical temperature compensation"
        ),
        "abstract": (
            "An intravascular catheter measures blood pressure near its tip, for "
            "example to assess the severity of a narrowing in a coronary artery. A "
            "piezoresistive pressure sensor sits in a recess close to the distal end, "
            "under a compliant gel that passes pressure to the sensing membrane. An "
            "optical fibre running along the shaft carries a fibre Bragg grating next "
            "to the sensor. The console reads the wavelength reflected by the "
            "grating, works out the local temperature and uses it to correct the "
            "pressure reading for thermal drift, which is a known source of error "
            "when a sensor moves from room temperature into the body. A single "
            "proximal connector couples both the electrical sensor and the fibre to "
            "the console. The application also claims a method of measuring pressure, "
            "including a controlled pullback to record a pressure profile along the "
            "artery."
        ),
        "body": (
            "<p>Pressure wires for measuring fractional flow reserve have been sold "
            "for many years, and temperature drift is a well-documented problem. The "
            "question is whether using a fibre Bragg grating next to a piezoresistive "
            "sensor, to correct that drift, was already known.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>Patents or papers on hybrid electrical and optical pressure "
            "wires.</li>"
            "<li>Temperature compensation of intravascular pressure sensors using a "
            "separate temperature element.</li>"
            "<li>Instructions for use or regulatory summaries of marketed pressure "
            "wires that describe drift correction.</li>"
            "<li>Pullback pressure recording at a controlled speed (claim "
            "6).</li></ul>"
            "<p>Do not submit patient data or unpublished clinical study "
            "documents.</p>"
        ),
        "areas": ["medical-devices"],
        "language": "en",
        "priority_days_ago": 430,
        "state": "open",
        "claims": [
            {
                "number": 1,
                "text": (
                    "An intravascular catheter, comprising: an elongate flexible "
                    "shaft having a proximal end, a distal end and a guidewire lumen; "
                    "a pressure sensor mounted in a recess of the shaft within 30 mm "
                    "of the distal end, the pressure sensor comprising a "
                    "piezoresistive membrane covered by a compliant gel that "
                    "transmits blood pressure to the membrane; an optical fibre "
                    "extending along the shaft and carrying a fibre Bragg grating "
                    "arranged adjacent to the pressure sensor; and a connector at the "
                    "proximal end configured to couple both the pressure sensor and "
                    "the optical fibre to a console, wherein the console is "
                    "configured to correct a pressure reading of the pressure sensor "
                    "for temperature drift using a temperature derived from a "
                    "wavelength of light reflected by the fibre Bragg grating."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The catheter of claim 1, wherein the recess is covered by a "
                    "perforated sleeve."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The catheter of claim 1, wherein the shaft has an outer diameter "
                    "of no more than 0.36 mm over at least the distal 250 mm of its "
                    "length."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The catheter of claim 1, wherein the console is further "
                    "configured to calculate a ratio of the corrected distal pressure "
                    "to an aortic pressure over a wave-free period of the cardiac "
                    "cycle."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "A method of measuring blood pressure in a coronary artery, the "
                    "method comprising: advancing a catheter having a piezoresistive "
                    "pressure sensor near its distal end into the artery until the "
                    "pressure sensor lies distal to a stenosis; reading a pressure "
                    "from the piezoresistive pressure sensor; reading a wavelength of "
                    "light reflected by a fibre Bragg grating arranged in the "
                    "catheter adjacent to the pressure sensor; deriving a local "
                    "temperature from the wavelength; and correcting the pressure for "
                    "drift using the local temperature."
                ),
                "depends_on": None,
            },
            {
                "number": 6,
                "text": (
                    "The method of claim 5, further comprising withdrawing the "
                    "catheter at a controlled speed while recording the corrected "
                    "pressure, to generate a pressure profile along the artery."
                ),
                "depends_on": 5,
            },
            {
                "number": 7,
                "text": (
                    "The method of claim 5, wherein the correcting is repeated at "
                    "least 100 times per second."
                ),
                "depends_on": 5,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2024/019305",
        "title": (
            "Beam management in a 5G network using predicted received power for "
            "unmeasured beams"
        ),
        "abstract": (
            "A user equipment in a 5G network measures only some of the reference "
            "signals that a base station transmits on its beams and uses a machine "
            "learning model to predict the received power of the rest. From the "
            "measured and predicted values it builds a ranked list of candidate beams "
            "and reports it to the base station, marking which values were measured "
            "and which were predicted, optionally with a confidence value for each "
            "prediction. Measuring fewer beams saves power and reduces the overhead "
            "of beam sweeping. The base station can choose which beams the device "
            "measures, send it model parameters and change the number of measured "
            "beams according to how accurate the predictions turn out to be. "
            "Predicted values can also bring forward the detection of beam failure. "
            "The application claims methods for both the device and the base station, "
            "and the corresponding apparatus."
        ),
        "body": (
            "<p>AI-assisted beam management has been discussed in 3GPP study items, "
            "so much of the relevant prior art is in standards contributions rather "
            "than journals. The examiner is particularly interested in whether "
            "reporting a measured-or-predicted flag per beam (claims 1 and 10) had "
            "been proposed before the priority date.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>3GPP RAN1 and RAN2 contributions (Tdocs) on spatial-domain beam "
            "prediction. Cite the Tdoc number, the meeting and the date it was "
            "uploaded.</li>"
            "<li>Papers on predicting beam quality from a subset of "
            "measurements.</li>"
            "<li>Earlier beam failure recovery schemes that use predicted rather than "
            "measured values (claims 8 and 9).</li></ul>"
            "<p>Contributions uploaded to a public 3GPP server count as published on "
            "the upload date.</p>"
        ),
        "areas": ["telecommunications", "software-data-processing"],
        "language": "en",
        "priority_days_ago": 810,
        "state": "open",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A method performed by a user equipment in a wireless "
                    "communication network, the method comprising: receiving, from a "
                    "base station, a configuration of a set of reference signal "
                    "resources, each reference signal resource being associated with "
                    "a respective transmit beam of the base station; measuring a "
                    "reference signal received power for each reference signal "
                    "resource of a subset of the set; predicting, using a machine "
                    "learning model stored at the user equipment and taking the "
                    "measured reference signal received powers as input, a reference "
                    "signal received power for each reference signal resource of the "
                    "set that is not in the subset; selecting, based on the measured "
                    "and the predicted reference signal received powers, a ranked "
                    "list of candidate beams; and transmitting, to the base station, "
                    "a beam report indicating the ranked list and, for each candidate "
                    "beam, whether its reference signal received power was measured "
                    "or predicted."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The method of claim 1, wherein the subset comprises fewer than "
                    "one quarter of the reference signal resources of the set."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The method of claim 1, wherein the subset is indicated by the "
                    "base station in downlink control information."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The method of claim 1, wherein the beam report further comprises "
                    "a confidence value for each predicted reference signal received "
                    "power."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "The method of claim 4, further comprising measuring, at a "
                    "subsequent measurement occasion, each candidate beam whose "
                    "confidence value is below a threshold."
                ),
                "depends_on": 4,
            },
            {
                "number": 6,
                "text": (
                    "The method of claim 1, wherein the input to the machine learning "
                    "model further comprises an angle-of-arrival estimate and an "
                    "output of an inertial sensor of the user equipment."
                ),
                "depends_on": 1,
            },
            {
                "number": 7,
                "text": (
                    "The method of claim 1, further comprising receiving, from the "
                    "base station, an identifier of the machine learning model to be "
                    "used, selected from a plurality of machine learning models "
                    "stored at the user equipment."
                ),
                "depends_on": 1,
            },
            {
                "number": 8,
                "text": (
                    "The method of claim 1, further comprising declaring a beam "
                    "failure when the measured or predicted reference signal received "
                    "power of a serving beam is below a threshold for a number of "
                    "consecutive measurement occasions, and initiating beam failure "
                    "recovery towards the highest-ranked candidate beam."
                ),
                "depends_on": 1,
            },
            {
                "number": 9,
                "text": (
                    "The method of claim 8, wherein the number of consecutive "
                    "measurement occasions is reduced when the predicted reference "
                    "signal received power of the serving beam decreases over "
                    "successive measurement occasions."
                ),
                "depends_on": 8,
            },
            {
                "number": 10,
                "text": (
                    "A method performed by a base station in a wireless communication "
                    "network, the method comprising: transmitting, to a user "
                    "equipment, a configuration of a set of reference signal "
                    "resources, each associated with a respective transmit beam of "
                    "the base station; indicating to the user equipment a subset of "
                    "the set to be measured; receiving, from the user equipment, a "
                    "beam report comprising a ranked list of candidate beams and, for "
                    "each candidate beam, an indication of whether its reference "
                    "signal received power was measured or predicted by the user "
                    "equipment; and selecting a serving beam for the user equipment "
                    "based on the beam report, wherein, between two candidate beams "
                    "of equal reported received power, the candidate beam whose "
                    "received power was measured is preferred."
                ),
                "depends_on": None,
            },
            {
                "number": 11,
                "text": (
                    "The method of claim 10, further comprising changing the number "
                    "of reference signal resources in the subset according to a "
                    "prediction accuracy reported by the user equipment."
                ),
                "depends_on": 10,
            },
            {
                "number": 12,
                "text": (
                    "The method of claim 10, further comprising transmitting, to the "
                    "user equipment, parameters of a machine learning model for "
                    "predicting reference signal received power."
                ),
                "depends_on": 10,
            },
            {
                "number": 13,
                "text": (
                    "The method of claim 12, wherein the parameters are transmitted "
                    "in a plurality of segments in radio resource control messages."
                ),
                "depends_on": 12,
            },
            {
                "number": 14,
                "text": (
                    "A user equipment comprising a transceiver and a processor "
                    "configured to perform the method of claim 1."
                ),
                "depends_on": 1,
            },
            {
                "number": 15,
                "text": (
                    "A base station comprising a transceiver and a processor "
                    "configured to perform the method of claim 10."
                ),
                "depends_on": 10,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2023/021560",
        "title": (
            "Self-healing anticorrosion coating with dynamic disulfide bonds and "
            "oil-filled microcapsules"
        ),
        "abstract": (
            "A coating for metal surfaces repairs itself after it is scratched. It "
            "combines two healing mechanisms. The polyurethane binder contains "
            "disulfide bonds in its backbone, which can exchange with one another so "
            "that the edges of a small cut flow back together, especially when "
            "warmed. The binder also carries microcapsules filled with a drying oil "
            "such as tung oil. When a scratch breaks the capsules, the oil flows into "
            "the damage and cures in air with the help of a drier catalyst, sealing "
            "the metal again. A corrosion inhibitor, which may be held in halloysite "
            "nanotubes, protects the exposed metal in the meantime. The applicant "
            "reports that a scratched coating recovers at least 80 % of its barrier "
            "performance within 24 hours at room temperature. The application also "
            "claims a method of producing the coating and a coated article."
        ),
        "body": (
            "<p>The review period for this case has closed. Reviewers are finishing "
            "their screening and the selected evidence will go to the examiner.</p>"
            "<p>The application combines two healing mechanisms, each well known on "
            "its own: reversible disulfide chemistry in polyurethanes, and "
            "microcapsules of drying oil in coatings. Submissions focused on whether "
            "the combination, at the stated disulfide content and capsule loading, "
            "had been described before.</p>"
            "<h2>What was asked for</h2>"
            "<ul>"
            "<li>Papers and patents on dual-mechanism self-healing coatings.</li>"
            "<li>Disulfide-containing polyurethane coatings using 2-hydroxyethyl "
            "disulfide as a chain extender (claim 2).</li>"
            "<li>Corrosion inhibitors carried in halloysite nanotubes (claim "
            "5).</li></ul>"
        ),
        "areas": ["chemistry-materials"],
        "language": "en",
        "priority_days_ago": 1250,
        "state": "closed",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A self-healing coating composition, comprising: a polyurethane "
                    "binder formed from at least one polyol and at least one "
                    "polyisocyanate, the binder containing dynamic disulfide bonds in "
                    "its backbone in an amount of 0.5 to 3 mmol per gram of binder; 5 "
                    "% to 15 % by weight of microcapsules, each microcapsule having a "
                    "urea-formaldehyde shell and a core comprising a healing agent "
                    "selected from linseed oil and tung oil; 0.1 % to 1 % by weight "
                    "of a drier catalyst for the healing agent; and a corrosion "
                    "inhibitor, wherein a cured film of the composition, after being "
                    "scratched through to a steel substrate, recovers at least 80 % "
                    "of its low-frequency impedance modulus at 0.01 Hz within 24 "
                    "hours at 25 °C."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The composition of claim 1, wherein the disulfide bonds are "
                    "derived from 2-hydroxyethyl disulfide used as a chain extender."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The composition of claim 1, wherein the microcapsules have a "
                    "mean diameter of 20 µm to 120 µm."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The composition of claim 3, wherein the shell of the "
                    "microcapsules has a thickness of 100 nm to 300 nm."
                ),
                "depends_on": 3,
            },
            {
                "number": 5,
                "text": (
                    "The composition of claim 1, wherein the corrosion inhibitor is "
                    "loaded into halloysite nanotubes."
                ),
                "depends_on": 1,
            },
            {
                "number": 6,
                "text": (
                    "The composition of claim 1, wherein the drier catalyst is a "
                    "cobalt-free manganese complex."
                ),
                "depends_on": 1,
            },
            {
                "number": 7,
                "text": (
                    "A method of producing a self-healing coating on a metal "
                    "substrate, the method comprising: reacting a polyol, a "
                    "polyisocyanate and a disulfide-containing diol to form a binder "
                    "having dynamic disulfide bonds; dispersing, in the binder, "
                    "microcapsules containing a drying-oil healing agent, together "
                    "with a drier catalyst for the healing agent; applying the "
                    "resulting mixture to the metal substrate; and curing the applied "
                    "mixture at a temperature of 60 °C to 120 °C, below a "
                    "decomposition temperature of the shells of the microcapsules."
                ),
                "depends_on": None,
            },
            {
                "number": 8,
                "text": (
                    "The method of claim 7, further comprising heating a damaged "
                    "region of the cured coating to 60 °C to 80 °C to promote "
                    "disulfide exchange and close the damage."
                ),
                "depends_on": 7,
            },
            {
                "number": 9,
                "text": (
                    "The method of claim 7, wherein the microcapsules are dispersed "
                    "using a mixer operated at a tip speed below 5 m/s."
                ),
                "depends_on": 7,
            },
            {
                "number": 10,
                "text": (
                    "A coated article comprising a metal substrate and a cured "
                    "coating formed from the composition of claim 1."
                ),
                "depends_on": 1,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2025/012046",
        "title": (
            "Rear hub motor with lockable freewheel for regenerative braking on an "
            "electrically assisted bicycle"
        ),
        "abstract": (
            "A rear wheel hub for an electrically assisted bicycle contains a geared "
            "brushless motor that can also recover energy when braking. Geared hub "
            "motors normally drive the wheel through a freewheel clutch, so the wheel "
            "cannot turn the motor back and there is no regenerative braking. In this "
            "hub an actuator, such as an electromagnetic pawl, locks the freewheel "
            "when the rider pulls the brake lever. The wheel then drives the motor "
            "through the planetary gear train and the controller runs the motor as a "
            "generator to charge the battery. The braking torque follows the first "
            "part of the brake lever travel, before the friction brake bites. The "
            "controller reduces regeneration when the battery is cold or nearly full, "
            "or when the rear wheel starts to slip. A braking method and a complete "
            "bicycle are also claimed."
        ),
        "body": (
            "<p>This case opens for review soon. You can read the claims now and "
            "follow the case to be told when it opens.</p>"
            "<p>Direct-drive hub motors have offered regenerative braking for a long "
            "time. Geared hubs usually have not, because of the freewheel. The "
            "examiner wants to know whether a lockable freewheel in a geared hub, "
            "switched by the brake lever, was already known.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>Patents on switchable or lockable freewheels in bicycle hubs, "
            "including hubs without a motor.</li>"
            "<li>Product manuals for electric bicycles or kits with regenerative "
            "braking on a geared hub.</li>"
            "<li>Blended regenerative and friction braking controlled by brake lever "
            "travel (claim 3).</li></ul>"
        ),
        "areas": [
            "vehicles-transport",
            "mechanical-engineering",
            "batteries-energy-storage",
        ],
        "language": "en",
        "priority_days_ago": 400,
        "state": "scheduled",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A rear wheel hub for an electrically assisted bicycle, "
                    "comprising: a stationary axle; a hub shell rotatable about the "
                    "axle and carrying spoke flanges; a brushless permanent-magnet "
                    "motor having a stator fixed to the axle and a rotor coupled to "
                    "the hub shell through a planetary gear train; a freewheel clutch "
                    "arranged between the planetary gear train and the hub shell; a "
                    "lock-out actuator operable to lock the freewheel clutch so that "
                    "the hub shell drives the rotor through the planetary gear train; "
                    "and a controller configured, when a brake lever sensor indicates "
                    "that a brake lever is actuated, to engage the lock-out actuator "
                    "and to operate the motor as a generator that returns energy to a "
                    "battery."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The hub of claim 1, wherein the lock-out actuator comprises an "
                    "electromagnetically operated pawl."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The hub of claim 1, wherein the controller sets a regenerative "
                    "braking torque that increases with a displacement of the brake "
                    "lever over a first part of its travel, before a friction brake "
                    "of the bicycle engages."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The hub of claim 1, wherein the controller limits a regenerative "
                    "current when a temperature of the battery is below 5 °C or a "
                    "state of charge of the battery exceeds 95 %."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "The hub of claim 1, further comprising a torque sensor on the "
                    "axle, wherein the controller detects slip of the rear wheel from "
                    "the measured torque and a deceleration of the wheel, and reduces "
                    "the regenerative braking torque when slip is detected."
                ),
                "depends_on": 1,
            },
            {
                "number": 6,
                "text": (
                    "A method of braking an electrically assisted bicycle having a "
                    "hub motor coupled to a wheel through a planetary gear train and "
                    "a freewheel clutch, the method comprising: detecting actuation "
                    "of a brake lever of the bicycle; in response, locking the "
                    "freewheel clutch so that the wheel drives the hub motor; "
                    "operating the hub motor as a generator with a braking torque "
                    "that depends on the actuation of the brake lever; and charging a "
                    "battery of the bicycle with current generated by the hub motor."
                ),
                "depends_on": None,
            },
            {
                "number": 7,
                "text": (
                    "The method of claim 6, further comprising releasing the "
                    "freewheel clutch when a speed of the wheel falls below 4 km/h."
                ),
                "depends_on": 6,
            },
            {
                "number": 8,
                "text": (
                    "The method of claim 6, further comprising, in response to an "
                    "inclination sensor indicating a descent, locking the freewheel "
                    "clutch and applying regenerative braking without actuation of "
                    "the brake lever, so as to hold a speed set by the rider."
                ),
                "depends_on": 6,
            },
            {
                "number": 9,
                "text": (
                    "An electrically assisted bicycle comprising the rear wheel hub "
                    "of claim 1."
                ),
                "depends_on": 1,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2025/017730",
        "title": (
            "Deduplicating storage combining exact fingerprints with similarity-based "
            "delta compression"
        ),
        "abstract": (
            "A storage system saves space by storing repeated data only once and by "
            "storing near-duplicates as small differences. Incoming data is split "
            "into variable-length chunks at boundaries chosen by a rolling hash, so "
            "that an insertion early in a file does not shift every later chunk. Each "
            "chunk gets a cryptographic fingerprint and a similarity sketch made of "
            "several minimum hash values. If the fingerprint is already known, the "
            "system stores a reference. If not, it looks for a stored chunk with a "
            "similar sketch and, if one is found, stores only a delta against it. "
            "Otherwise the chunk is compressed and stored as new. The system limits "
            "the length of delta chains so that reads stay fast, keeps Bloom filters "
            "in memory to avoid needless index reads, and re-encodes dependent deltas "
            "before deleting a base chunk."
        ),
        "body": (
            "<p>This case is a draft. The agency is still preparing it and it is not "
            "yet open for review.</p>"
            "<p>Content-defined chunking, fingerprint indexes and delta compression "
            "of similar chunks are all established techniques in backup and archive "
            "storage. Reviewers will be asked for evidence about the specific "
            "combination in claims 1 and 6, and about the garbage collection step in "
            "claim 8.</p>"
            "<h2>Likely sources</h2>"
            "<ul>"
            "<li>Storage systems conference papers, for example on resemblance "
            "detection and delta compression after deduplication.</li>"
            "<li>Documentation and source code of open-source backup tools, cited by "
            "version and release date.</li></ul>"
        ),
        "areas": ["software-data-processing"],
        "language": "en",
        "priority_days_ago": 380,
        "state": "draft",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A computer-implemented method of storing data in a deduplicating "
                    "storage system, the method comprising: dividing an incoming data "
                    "stream into variable-length chunks at boundaries determined by a "
                    "rolling hash computed over a sliding window of bytes; computing, "
                    "for each chunk, a cryptographic fingerprint and a similarity "
                    "sketch comprising a plurality of minimum hash values over "
                    "features of the chunk; looking up the cryptographic fingerprint "
                    "in a fingerprint index and, if it is found, storing a reference "
                    "to the previously stored chunk; if the cryptographic fingerprint "
                    "is not found, looking up the similarity sketch in a sketch index "
                    "to identify a base chunk sharing at least a minimum number of "
                    "minimum hash values with the chunk, and storing the chunk as a "
                    "delta against the base chunk; and if no base chunk is "
                    "identified, compressing and storing the chunk as a new unique "
                    "chunk and adding its cryptographic fingerprint and its "
                    "similarity sketch to the fingerprint index and the sketch index "
                    "respectively."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The method of claim 1, wherein the rolling hash is a gear hash, "
                    "and a boundary is declared using a first mask below a target "
                    "chunk size and a second, less strict mask above the target chunk "
                    "size."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The method of claim 1, wherein the chunk is stored as a delta "
                    "only if the size of the delta is less than half the compressed "
                    "size of the chunk."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The method of claim 1, wherein the fingerprint index is divided "
                    "into partitions held in persistent storage, and a Bloom filter "
                    "for each partition is held in memory and consulted before the "
                    "partition is read."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "The method of claim 1, further comprising limiting the length of "
                    "a chain of deltas to a maximum depth, wherein a chunk whose base "
                    "chunk is already at the maximum depth is stored as a new unique "
                    "chunk."
                ),
                "depends_on": 1,
            },
            {
                "number": 6,
                "text": (
                    "A storage system comprising: a chunking module configured to "
                    "divide incoming data into variable-length chunks using "
                    "content-defined boundaries; a fingerprint index mapping "
                    "cryptographic fingerprints to stored chunks; a sketch index "
                    "mapping similarity sketches to stored chunks; and a delta "
                    "encoder configured, for a chunk whose fingerprint is not in the "
                    "fingerprint index, to select a base chunk through the sketch "
                    "index and to store the chunk as a delta against the base chunk."
                ),
                "depends_on": None,
            },
            {
                "number": 7,
                "text": (
                    "The storage system of claim 6, wherein the sketch index is held "
                    "on solid-state storage separate from a store holding the chunks."
                ),
                "depends_on": 6,
            },
            {
                "number": 8,
                "text": (
                    "The storage system of claim 6, further comprising a garbage "
                    "collector configured, before deleting a chunk that is no longer "
                    "referenced, to re-encode each stored delta that uses that chunk "
                    "as its base chunk."
                ),
                "depends_on": 6,
            },
        ],
    },
    {
        "agency": "energy-regulator",
        "reference": "RULE-2026-014",
        "title": "Draft rule on energy and emissions reporting for data centres",
        "abstract": (
            "This draft rule would require operators of larger data centres to report "
            "each year how much energy and water they use, how much waste heat they "
            "pass on to others, and the greenhouse gas emissions linked to their "
            "electricity. It covers sites with an installed IT power demand of 500 kW "
            "or more. Operators would calculate power usage effectiveness using an "
            "international standard, and could count renewable electricity "
            "certificates only if they match consumption hour by hour in the same "
            "bidding zone, with a transitional allowance for annual matching. Reports "
            "would be checked by an accredited verification body. The regulator would "
            "publish a register of indicators for each site, grouped where publishing "
            "them would identify an individual operator. The regulator wants to know "
            "whether these provisions can be met with metering and methods that "
            "already exist."
        ),
        "body": (
            "<p>For a draft rule, prior art means existing standards, methods, "
            "studies and practice that show whether a provision is workable, already "
            "covered elsewhere or likely to cause problems. Tie each piece of "
            "evidence to the provision it concerns.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>Standards for measuring data centre efficiency, such as the ISO/IEC "
            "30134 series and EN 50600-4 (provisions 4 and 5).</li>"
            "<li>Reporting schemes already running in other countries, and what they "
            "found about data quality.</li>"
            "<li>Studies on hourly matching of renewable electricity certificates and "
            "how available hourly certificates are (provisions 6 and 7).</li>"
            "<li>Evidence on the accuracy and calibration of meters in existing sites "
            "(provision 10).</li></ul>"
        ),
        "areas": ["environmental-regulation", "software-data-processing"],
        "language": "en",
        "priority_days_ago": 200,
        "state": "open",
        "claims": [
            {
                "number": 1,
                "text": (
                    "An operator of a data centre with a total installed IT power "
                    "demand of 500 kW or more shall, for each reporting year, submit "
                    "to the Regulator an energy and emissions report stating: (a) the "
                    "total energy consumed by the data centre, in kilowatt-hours, "
                    "measured at the point of supply; (b) the energy consumed by IT "
                    "equipment, measured at the output of the uninterruptible power "
                    "supply or at the power distribution units; (c) the total water "
                    "withdrawn for cooling, in cubic metres; (d) the waste heat "
                    "supplied to third parties, in kilowatt-hours; and (e) the "
                    "location-based and market-based greenhouse gas emissions "
                    "attributable to the energy reported under point (a)."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The report required by provision 1 shall be submitted no later "
                    "than 31 March of the year following the reporting year, using "
                    "the electronic form published by the Regulator."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "Where the energy consumed by IT equipment is not metered "
                    "separately, the operator shall estimate it for the purposes of "
                    "provision 1(b) using the method set out in Annex II, and shall "
                    "state in the report that the figure is an estimate."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The operator shall calculate the power usage effectiveness of "
                    "the data centre as the ratio of the energy reported under "
                    "provision 1(a) to the energy reported under provision 1(b), in "
                    "accordance with ISO/IEC 30134-2."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "Where the data centre is metered at intervals of 15 minutes or "
                    "less, the power usage effectiveness referred to in provision 4 "
                    "shall also be reported for each calendar month."
                ),
                "depends_on": 4,
            },
            {
                "number": 6,
                "text": (
                    "In calculating market-based emissions under provision 1(e), the "
                    "operator shall take into account only energy attribute "
                    "certificates that are matched to consumption within the same "
                    "hour and the same bidding zone."
                ),
                "depends_on": 1,
            },
            {
                "number": 7,
                "text": (
                    "By way of derogation from provision 6, for reporting years "
                    "before 2029 the operator may take into account certificates "
                    "matched to consumption on an annual basis, provided that the "
                    "report states the share of consumption so matched."
                ),
                "depends_on": 6,
            },
            {
                "number": 8,
                "text": (
                    "Every operator subject to reporting under this Rule shall have "
                    "each report verified by a verification body accredited by the "
                    "national accreditation body before the report is submitted."
                ),
                "depends_on": None,
            },
            {
                "number": 9,
                "text": (
                    "The verification referred to in provision 8 shall include an "
                    "inspection of the site at least once every three reporting "
                    "years."
                ),
                "depends_on": 8,
            },
            {
                "number": 10,
                "text": (
                    "The verification referred to in provision 8 shall confirm that "
                    "each meter used for the figures reported under provision 1(a) "
                    "and 1(b) is of accuracy class 1 or better and has been "
                    "calibrated within the preceding 24 months."
                ),
                "depends_on": 8,
            },
            {
                "number": 11,
                "text": (
                    "The Regulator shall publish each year a register of data centres "
                    "subject to this Rule, giving for each data centre its region, "
                    "its size class, its power usage effectiveness, its water usage "
                    "effectiveness and the share of its energy matched by energy "
                    "attribute certificates."
                ),
                "depends_on": None,
            },
            {
                "number": 12,
                "text": (
                    "Where fewer than three data centres of the same size class are "
                    "located in a region, the Regulator shall publish the indicators "
                    "referred to in provision 11 for those data centres only in "
                    "aggregated form for a wider area."
                ),
                "depends_on": 11,
            },
            {
                "number": 13,
                "text": (
                    "An operator may ask the Regulator to treat as commercially "
                    "confidential any information in its report other than the "
                    "indicators referred to in provision 11. The request shall give "
                    "reasons."
                ),
                "depends_on": 11,
            },
        ],
    },
    {
        "agency": "energy-regulator",
        "reference": "RULE-2026-021",
        "title": (
            "Draft rule on producer obligations for the collection and recycling of "
            "portable batteries"
        ),
        "abstract": (
            "This draft rule would make producers of portable batteries, and of "
            "batteries for light means of transport such as electric bicycles and "
            "scooters, responsible for collecting them when they become waste. "
            "Producers would have to meet rising collection targets, calculated "
            "against the average quantity placed on the market over the three "
            "preceding years, and larger shops would have to take back waste "
            "batteries free of charge. Recyclers treating lithium-based batteries "
            "would have to recover set shares of cobalt, nickel, copper and lithium, "
            "without counting material burned for energy or used as backfill. Every "
            "battery would carry a QR code linking to information on safe removal, "
            "chemistry and where to return it. The regulator will ask whether the "
            "targets and the calculation methods are achievable with current "
            "collection and recycling technology."
        ),
        "body": (
            "<p>This draft rule is still being prepared. It is not yet open for "
            "review.</p>"
            "<p>When it opens, the regulator will ask for evidence on whether the "
            "collection targets and material recovery levels can be reached, and on "
            "how existing schemes calculate them.</p>"
            "<h2>Evidence that will help</h2>"
            "<ul>"
            "<li>Collection rates achieved by existing producer responsibility "
            "schemes, and how they were calculated.</li>"
            "<li>Published recovery efficiencies of hydrometallurgical and "
            "pyrometallurgical recycling of lithium-ion batteries (provisions 4 to "
            "6).</li>"
            "<li>Experience with digital labels and QR codes on batteries or other "
            "products (provisions 7 and 8).</li></ul>"
        ),
        "areas": ["environmental-regulation", "batteries-energy-storage"],
        "language": "en",
        "priority_days_ago": 150,
        "state": "draft",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A producer that places portable batteries or batteries for light "
                    "means of transport on the market shall, individually or through "
                    "a producer responsibility organisation, ensure the separate "
                    "collection of waste batteries of that category, and shall "
                    "achieve a collection rate of at least: (a) 45 % by 31 December "
                    "2027; (b) 60 % by 31 December 2030; and (c) 70 % by 31 December "
                    "2033."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The collection rate referred to in provision 1 shall be "
                    "calculated as the weight of waste batteries collected in a "
                    "calendar year divided by the average weight of batteries of the "
                    "same category placed on the market in the three preceding "
                    "calendar years."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "For the purposes of provision 1, producers shall ensure that "
                    "every retail outlet with a sales area of more than 400 m² that "
                    "sells batteries of the category takes back waste batteries of "
                    "that category from end users free of charge and without an "
                    "obligation to buy a new battery."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "A recycler treating waste lithium-based batteries shall achieve "
                    "material recovery of at least 90 % by weight for each of cobalt, "
                    "nickel and copper and of at least 50 % by weight for lithium, "
                    "rising to 95 % and 80 % respectively from 1 January 2031."
                ),
                "depends_on": None,
            },
            {
                "number": 5,
                "text": (
                    "The material recovery referred to in provision 4 shall be "
                    "calculated in accordance with Annex IV, on the basis of the mass "
                    "of each element contained in output fractions that can be used "
                    "in new batteries or other products without further treatment to "
                    "remove that element from other materials."
                ),
                "depends_on": 4,
            },
            {
                "number": 6,
                "text": (
                    "Material that is sent to energy recovery, or used as "
                    "backfilling, shall not count towards the recovery levels in "
                    "provision 4."
                ),
                "depends_on": 4,
            },
            {
                "number": 7,
                "text": (
                    "A producer shall mark each battery it places on the market with "
                    "a QR code giving access to information on the chemistry of the "
                    "battery, its safe removal from the appliance or vehicle, and the "
                    "collection points available to end users."
                ),
                "depends_on": None,
            },
            {
                "number": 8,
                "text": (
                    "The information referred to in provision 7 shall remain "
                    "accessible, free of charge and without registration, for at "
                    "least 10 years after the battery is placed on the market."
                ),
                "depends_on": 7,
            },
        ],
    },
    {
        "agency": "energy-regulator",
        "reference": "RULE-2026-009",
        "title": (
            "Draft rule on the grid connection of residential battery storage systems"
        ),
        "abstract": (
            "This draft rule sets the conditions for connecting home battery storage "
            "systems of up to 30 kW to the low-voltage distribution network. Owners, "
            "or installers on their behalf, would notify the distribution system "
            "operator within 30 days of commissioning. The smallest systems could "
            "connect without prior approval. Inverters would have to be certified, "
            "respond automatically to changes in grid frequency and be able to "
            "receive power setpoints from the network operator over a standard "
            "communication interface. In return, network operators would have to "
            "publish in advance when they will limit a system's export, keep such "
            "limits to a small share of annual export, and pay compensation for "
            "curtailment beyond that. Existing systems would have three years to add "
            "the communication interface. The regulator wants evidence that the "
            "technical requirements can be met by equipment already on the market."
        ),
        "body": (
            "<p>This draft rule opens for review soon. You can read the provisions "
            "now and follow the case to be told when it opens.</p>"
            "<p>The regulator wants to avoid requirements that equipment on the "
            "market cannot meet, or that duplicate existing grid codes.</p>"
            "<h2>Evidence that would help</h2>"
            "<ul>"
            "<li>Grid codes and standards for inverter-connected storage, such as EN "
            "50549-1, IEEE 1547 and the communication protocols IEEE 2030.5 and IEC "
            "61850-7-420 (provisions 4 to 6).</li>"
            "<li>Data sheets showing whether current home inverters support "
            "frequency-watt response and remote setpoints.</li>"
            "<li>Published data on curtailment of small generators and storage in "
            "other networks (provisions 7 to 9).</li></ul>"
        ),
        "areas": ["environmental-regulation", "batteries-energy-storage"],
        "language": "en",
        "priority_days_ago": 240,
        "state": "scheduled",
        "claims": [
            {
                "number": 1,
                "text": (
                    "A residential battery energy storage system with a rated power "
                    "not exceeding 30 kW that is connected to the low-voltage "
                    "distribution network shall: (a) be notified to the distribution "
                    "system operator within 30 days of commissioning; (b) be "
                    "connected through an inverter certified as meeting the "
                    "requirements of Annex I; and (c) be capable of receiving and "
                    "executing active power setpoints issued by the distribution "
                    "system operator through a standardised communication interface."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The notification required by provision 1(a) may be made by the "
                    "installer on behalf of the owner, using the online service "
                    "provided by the Regulator."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "A system referred to in provision 1 with a rated power not "
                    "exceeding 3.68 kW per phase may be connected without the prior "
                    "approval of the distribution system operator, provided that it "
                    "is notified in accordance with provision 1(a)."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The standardised communication interface referred to in "
                    "provision 1(c) shall implement IEEE 2030.5 or IEC 61850-7-420, "
                    "and shall be secured in accordance with the cyber security "
                    "requirements of Annex III."
                ),
                "depends_on": 1,
            },
            {
                "number": 5,
                "text": (
                    "The inverter referred to in provision 1(b) shall reduce "
                    "discharge power, or increase charging power, when the grid "
                    "frequency rises above 50.2 Hz, with a droop between 2 % and 12 % "
                    "set by the distribution system operator."
                ),
                "depends_on": 1,
            },
            {
                "number": 6,
                "text": (
                    "The response required by provision 5 shall begin within 2 "
                    "seconds of the frequency threshold being exceeded and shall not "
                    "be delayed or overridden by a home energy management system."
                ),
                "depends_on": 5,
            },
            {
                "number": 7,
                "text": (
                    "A distribution system operator that issues active power "
                    "setpoints to residential battery energy storage systems shall "
                    "publish in advance the network conditions under which it will do "
                    "so, and shall not limit the export of any one system by more "
                    "than 5 % of that system's annual export energy, except in a "
                    "declared network emergency."
                ),
                "depends_on": None,
            },
            {
                "number": 8,
                "text": (
                    "Where the export of a system is limited beyond the level set in "
                    "provision 7, the distribution system operator shall compensate "
                    "the owner for the energy curtailed at the day-ahead market price "
                    "for the relevant hours."
                ),
                "depends_on": 7,
            },
            {
                "number": 9,
                "text": (
                    "The distribution system operator shall report to the Regulator "
                    "each year the number and duration of setpoint events referred to "
                    "in provision 7 and the total energy curtailed."
                ),
                "depends_on": 7,
            },
            {
                "number": 10,
                "text": (
                    "Systems commissioned before this Rule enters into force shall "
                    "meet the requirements of provision 4 within 36 months of its "
                    "entry into force, unless the owner shows that the inverter "
                    "cannot be upgraded."
                ),
                "depends_on": 4,
            },
        ],
    },
    {
        "agency": "patent-office",
        "reference": "NP 2024/015538",
        "title": (
            "Regenerative braking of an electrically assisted bicycle controlled by "
            "brake lever travel"
        ),
        "abstract": (
            "An electrically assisted bicycle recovers energy when the rider brakes. A "
            "sensor measures how far the brake lever has travelled. Over the first part "
            "of the lever's travel, before the friction brake pads touch, a controller "
            "runs the hub motor as a generator, with a braking torque that grows with "
            "lever travel, and charges the battery with the current it produces. "
            "Pulling the lever further engages the friction brake as well. The "
            "controller limits the regenerative torque when the battery is full or "
            "cold, fading it out smoothly so that the rider does not feel a jolt, and "
            "can also hold the bicycle's speed on long descents without any lever "
            "movement. The application claims the bicycle and the braking method."
        ),
        "body": (
            "<p>The review period for this case has closed and the reviewers have "
            "forwarded the strongest evidence to the examiner, who is now deciding on "
            "each item.</p>"
            "<p>Regenerative braking on electric bicycles is not new; the question is "
            "whether the lever-travel split between regeneration and friction braking, "
            "and the fade-out when the battery cannot take charge, had been described "
            "before the priority date.</p>"
            "<h2>What was asked for</h2>"
            "<ul>"
            "<li>Pedelec or e-bike controllers that regenerate in proportion to brake "
            "lever position (claims 1 and 6).</li>"
            "<li>Hall-effect lever position sensors (claim 2).</li>"
            "<li>Limiting regeneration by battery state of charge and temperature "
            "(claims 3 and 4).</li>"
            "<li>Speed-holding regeneration on descents (claim 5).</li></ul>"
        ),
        "areas": ["vehicles-transport", "batteries-energy-storage"],
        "language": "en",
        "priority_days_ago": 600,
        # Created open, given vetted evidence, closed and forwarded by ``seed_demo``,
        # so the demo examiner has a dossier waiting.
        "state": "forwarded",
        "claims": [
            {
                "number": 1,
                "text": (
                    "An electrically assisted bicycle, comprising: a hub motor "
                    "operable as a generator; a battery; a brake lever with a travel "
                    "sensor that outputs a signal indicating the position of the "
                    "lever; a friction brake actuated by the lever; and a controller "
                    "configured, over a first range of lever travel before the "
                    "friction brake engages, to operate the hub motor as a generator "
                    "with a braking torque that increases with lever travel and to "
                    "charge the battery with the generated current."
                ),
                "depends_on": None,
            },
            {
                "number": 2,
                "text": (
                    "The bicycle of claim 1, wherein the travel sensor comprises a "
                    "Hall-effect sensor and a magnet mounted on the brake lever."
                ),
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": (
                    "The bicycle of claim 1, wherein the controller limits the "
                    "regenerative braking torque according to the state of charge and "
                    "the temperature of the battery."
                ),
                "depends_on": 1,
            },
            {
                "number": 4,
                "text": (
                    "The bicycle of claim 3, wherein, when the battery cannot accept "
                    "charge, the controller reduces the regenerative braking torque to "
                    "zero over a period of at least 0.5 s."
                ),
                "depends_on": 3,
            },
            {
                "number": 5,
                "text": (
                    "The bicycle of claim 1, wherein the controller further applies a "
                    "regenerative braking torque, without movement of the brake lever, "
                    "when the bicycle descends a slope at more than a set speed."
                ),
                "depends_on": 1,
            },
            {
                "number": 6,
                "text": (
                    "A method of braking an electrically assisted bicycle having a hub "
                    "motor and a friction brake, comprising: measuring the travel of a "
                    "brake lever; over a first range of travel, braking with the hub "
                    "motor operated as a generator, with a torque proportional to the "
                    "travel, and charging a battery; and over a second range of "
                    "travel beyond the first, additionally engaging the friction "
                    "brake."
                ),
                "depends_on": None,
            },
            {
                "number": 7,
                "text": (
                    "The method of claim 6, further comprising showing the energy "
                    "recovered during a ride on a display mounted on the handlebar."
                ),
                "depends_on": 6,
            },
        ],
    },
]
