"""The engine's word lists: plain data keyed by the ontology's ids, checked against the ontology.

Everything the rules look for lives here, so that extending the engine to a new word is a one-line change
and the tests can check that every event type, mode, role, measurand, qualifier and actor named below exists
in ``schema/ontology.yaml`` (:func:`lexicon_problems`). Phrases are written as they appear in text and are
matched case-insensitively token by token (the tokenizer splits them as it splits the article).

The tables follow the guidelines' decision rules; where a rule is a judgement (which actor a nationality
adjective stands for), the comment names the guideline it encodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from counterclaim.model.ontology import Ontology

# -- tokenizer ---------------------------------------------------------------------------------------------

# Abbreviations the English tokenizer would split at the full stop, and hyphenated forms it would keep whole.
SPECIAL_CASES: dict[str, tuple[str, ...]] = {
    **{abbr: (abbr,) for abbr in (
        "Maj.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Brig.", "Adm.", "Cpl.", "Cmdr.", "Gov.", "Sen.", "Rep.",
        "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "U.S.", "U.N.", "U.K.", "Lt.-Gen.", "Maj.-Gen.",
    )},
    **{f"{abbr}-{verb}": (abbr, "-", verb) for abbr in ("U.S.", "U.N.", "U.K.") for verb in ("led", "backed", "based")},
}

# -- actor mentions ----------------------------------------------------------------------------------------

# Titles that belong to the name phrase (R3: "Mr Earnest", "Gen Ali Abdullah Ayoub", "Maj. Jamil al-Saleh",
# "president Bashar al-Assad"); job descriptions before a name do not ("White House spokesman Josh Earnest" ->
# "Josh Earnest"). Titles of two words are in :data:`TWO_WORD_TITLES`.
TITLES: tuple[str, ...] = (
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof.", "Gen", "Gen.", "General", "Maj", "Maj.",
    "Major", "Col", "Col.", "Colonel", "Lt", "Lt.", "Lieutenant", "Sgt", "Sgt.", "Capt", "Capt.", "Captain",
    "Brig.", "Brigadier", "Adm.", "Admiral", "Cmdr.", "Lt.-Gen.", "Maj.-Gen.", "President", "King", "Prince",
    "Sheikh", "Ayatollah", "Emir", "president", "king", "sheikh", "emir",
)
TWO_WORD_TITLES: tuple[str, ...] = ("Prime Minister", "prime minister", "Crown Prince", "Supreme Leader")
# A word before a title that turns it into a job description (R23: "former French president Nicholas Sarkozy"
# -> "Nicholas Sarkozy").
FORMER: tuple[str, ...] = ("former", "ex", "late")

# Particles inside personal names ("Jamil al-Saleh", "Staffan de Mistura").
NAME_PARTICLES: tuple[str, ...] = ("al", "el", "bin", "ibn", "abu", "de", "van", "von", "der")

# Words of a job description: an actor name followed by these and then a person's name is part of the job
# description and not a mention of its own ("Syrian Army Chief of Staff Gen Ali Abdullah Ayoub",
# "US Secretary of State John Kerry", "White House spokesman Josh Earnest").
JOB_WORDS: tuple[str, ...] = (
    "chief", "staff", "secretary", "minister", "foreign", "defence", "defense", "interior", "state", "of",
    "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "official", "commander", "president",
    "prime", "deputy", "head", "director", "general", "adviser", "advisor", "press", "senior", "top",
)

# Nationality adjectives and the registry actors they stand for, by the guidelines' rules: "a country acting
# as a whole is the country", "aircraft, forces and staffs are the military", a government or officials are
# the government. None: the registry has no such actor (the mention then gets a type only).
@dataclass(frozen=True)
class Nationality:
    country: str | None
    government: str | None
    military: str | None
    defence: str | None = None  # the defence ministry: "military officials" (R5)


NATIONALITIES: dict[str, Nationality] = {
    "Russian": Nationality("RUS", "RUS_GOV", "RUS_MIL", "RUS_MOD"),
    "Syrian": Nationality("SYR", "SYR_GOV", "SYR_MIL"),
    "American": Nationality("USA", "USA_GOV", "USA_MIL"),
    "US": Nationality("USA", "USA_GOV", "USA_MIL"),
    "U.S.": Nationality("USA", "USA_GOV", "USA_MIL"),
    "USA": Nationality("USA", "USA_GOV", "USA_MIL"),
    "British": Nationality("GBR", None, None),
    "UK": Nationality("GBR", None, None),
    "French": Nationality("FRA", None, None),
    "Iranian": Nationality("IRN", None, "IRN_MIL"),
    "Iraqi": Nationality("IRQ", "IRQ_GOV", None),
    "Turkish": Nationality("TUR", None, None),
    "Saudi": Nationality("SAU", None, None),
    "Egyptian": Nationality(None, None, None),
    "Israeli": Nationality(None, None, None),
    "Jordanian": Nationality(None, None, None),
    "Kurdish": Nationality(None, None, None),
}

# Nouns after a nationality adjective or a country's possessive, by which actor the phrase names (R5, R21) and
# how much of it the mention spans (:data:`ADJECTIVE_ALONE`).
#   military:   the adjective and the noun are a mention of the military ("Russian jets", "Russian general staff")
#   attack:     the adjective alone is the mention of the military that carries out the attack ("Russian" in
#               "Russian air strikes", "Russia" in "Russia's military campaign")
#   defence:    the adjective and the noun are a mention of the defence ministry ("Russian military officials")
#   government: the adjective and the noun are a mention of the government ("Iraqi government", "Syrian
#               officials")
#   policy:     the adjective alone is a mention of the government whose plan or position it is ("Russian"
#               in "Russian intentions", "US" in "the US strategy")
#   country:    the adjective alone is a mention of the country acting as a whole ("Russian actions")
NATIONALITY_NOUNS: dict[str, tuple[str, ...]] = {
    "military": (
        "jets", "warplanes", "planes", "aircraft", "bombers", "helicopters", "forces", "troops", "soldiers",
        "military", "army", "navy", "air force", "air forces", "general staff", "marines", "commandos",
        "special forces", "officers", "military forces", "armed forces", "warships", "pilots", "military jets",
        "fighter jets", "military advisers", "advisers",
    ),
    "attack": (
        "air strikes", "airstrikes", "air strike", "airstrike", "strikes", "raids", "air raids", "bombing",
        "bombing campaign", "bombardment", "air campaign", "military campaign", "campaign", "cruise missiles",
        "missiles", "missile strikes", "attacks", "offensive", "shelling", "sorties", "military operation",
        "operation", "military intervention", "launch of airstrikes", "launch of air strikes",
    ),
    "defence": ("military officials", "defence officials", "defense officials"),
    "government": (
        "government", "officials", "authorities", "leadership", "foreign ministry", "defence ministry",
        "defense ministry", "ministry", "diplomats", "administration", "delegation", "negotiators",
    ),
    "policy": (
        "position", "plan", "plans", "proposal", "strategy", "goals", "goal", "intentions", "focus", "policy",
        "stance", "demands", "diplomacy", "approach",
    ),
    "country": ("actions", "involvement", "decision", "support", "activity"),
}
# Kinds whose mention is the adjective (or possessor) alone; the others span the adjective and the noun.
ADJECTIVE_ALONE: tuple[str, ...] = ("attack", "policy", "country")
# Modifiers before a nationality that belong to a phrase naming officials or forces ("senior Russian military
# officials").
RANK_MODIFIERS: tuple[str, ...] = ("senior", "top", "high-ranking", "other")

# Role nouns that make "(One|A|The) (senior|top...)* <nationality or capital> <role noun>" a person mention
# ("One senior Washington official", "The USA official" -> "USA official", "The top Syrian diplomat").
PERSON_ROLE_NOUNS: tuple[str, ...] = (
    "official", "diplomat", "spokesman", "spokeswoman", "spokesperson", "lawmaker", "commander", "minister",
    "envoy", "ambassador", "general", "source", "analyst", "expert", "politician", "leader", "negotiator",
    "secretary", "officer", "activist", "witness", "resident", "correspondent", "reporter",
)
# Nouns for someone an actor is named only to describe (R23: "Putin" in "a Putin ally" is no mention).
DESCRIBED_BY_NOUNS: tuple[str, ...] = ("ally", "aide", "adviser", "advisor", "loyalist", "confidant", "envoy")
# Unnamed sources (R15): a claimant described by one of these role nouns — many people fit it — is referred to
# but not identified ("sources said", "a senior official", "activists", "witnesses", "a Putin ally and senior
# lawmaker"), unless a modifier of :data:`UNIQUE_ROLE_MODIFIERS` makes the role unique ("the top Syrian
# diplomat"). An indefinite article ("a", "an", "one") always leaves a described source unnamed.
UNNAMED_ROLE_NOUNS: tuple[str, ...] = (
    "official", "officials", "source", "sources", "officer", "officers", "diplomat", "diplomats", "lawmaker",
    "lawmakers", "commander", "commanders", "analyst", "analysts", "expert", "experts", "activist", "activists",
    "witness", "witnesses", "resident", "residents", "observer", "observers", "insider", "insiders", "aide",
    "aides", "ally", "member", "members", "politician", "politicians", "correspondent", "correspondents",
    "reporter", "reporters",
)
# Words a speaker's description may have before its role noun ("a Putin ally and senior lawmaker", "local
# sources", "informed military sources"), besides capitalised names and other role nouns.
SOURCE_MODIFIERS: tuple[str, ...] = (
    "senior", "top", "high-ranking", "former", "military", "defence", "defense", "foreign", "government",
    "intelligence", "administration", "security", "state", "local", "informed", "diplomatic", "opposition",
    "medical", "field", "western", "other", "some", "several", "many", "two", "three", "rebel", "activist",
    "official", "police", "army", "news", "knowledgeable", "reliable", "anonymous", "unnamed", "and", "pro-government",
    "regional", "independent", "humanitarian", "aid", "rights",
)
# Prepositions that attach a place or an organisation to a source ("a source at Aleppo Police Command", "local
# sources in the town").
SOURCE_PREPOSITIONS: tuple[str, ...] = ("at", "in", "from", "of", "with", "within", "inside", "close", "near")
# Lower-case words such a place or organisation may hold besides names ("in rural Idlib", "in the town").
SOURCE_PLACE_WORDS: tuple[str, ...] = (
    "the", "rural", "city", "town", "province", "area", "region", "countryside", "village", "neighborhood",
    "neighbourhood", "camp", "hospital", "command", "police", "ministry", "army", "military", "southern", "northern",
    "eastern", "western", "central", "north", "south", "east", "west", "of", "and",
)
UNIQUE_ROLE_MODIFIERS: tuple[str, ...] = ("top", "chief", "head")
INDEFINITE: tuple[str, ...] = ("a", "an", "one")
# Role nouns of people who speak for a government: an unnamed source described by one of these with a capital or
# a nationality speaks for that government ("senior Washington official", "USA official" -> USA_GOV, R15); with
# a military modifier, for the defence ministry ("a Russian military official" -> RUS_MOD, R5).
OFFICIAL_NOUNS: tuple[str, ...] = (
    "official", "officials", "diplomat", "diplomats", "source", "sources", "spokesman", "spokeswoman",
    "spokesperson", "envoy", "negotiator",
)
MILITARY_MODIFIERS: tuple[str, ...] = ("military", "defence", "defense", "army")
# Heads of descriptions that name people by the countries they lead (R23: "the leaders of Ukraine and Germany"
# is one mention; the countries named inside it are not mentions of their own).
DESCRIPTION_HEADS: tuple[str, ...] = (
    "leaders", "leader", "president", "presidents", "presidency", "king", "heads", "head", "foreign ministers",
    "ministers", "prime minister", "prime ministers", "rulers", "ruler", "emir", "monarch",
)
PERSON_ROLE_MODIFIERS: tuple[str, ...] = (
    "senior", "top", "high-ranking", "former", "military", "defence", "defense", "foreign", "government",
    "intelligence", "administration", "security", "state",
)
# Seats of government that stand for it in "<capital> official" ("One senior Washington official"), with the
# government they name (R21: a capital is always the government).
CAPITALS: dict[str, str | None] = {
    "Washington": "USA_GOV", "Moscow": "RUS_GOV", "Kremlin": "RUS_GOV", "Pentagon": None, "Damascus": "SYR_GOV",
    "Tehran": None, "Baghdad": "IRQ_GOV", "Ankara": None, "London": None, "Paris": None,
}
# Determiners before a described person that are not part of the mention (R2: "One senior Washington official"
# -> "senior Washington official").
DETERMINERS: tuple[str, ...] = ("the", "a", "an", "one")

# Descriptions of unlisted actors, by the type they get ("terrorist groups", "radical Sunni militants",
# "civilians"). Optional modifiers before the head are given per type.
GROUP_HEADS: dict[str, tuple[str, ...]] = {
    "armed_group": ("groups", "militants", "fighters", "terrorists", "jihadists", "insurgents", "extremists",
                    "militias", "gunmen", "jihadis"),
    "civilians": ("civilians", "civilian", "residents", "villagers", "women and children", "children"),
    "country": ("countries", "nations", "allies", "powers"),
}
# Heads that need a modifier to be a mention ("its allies", "seven countries"; not "Assad's main allies").
GROUP_HEADS_NEEDING_MODIFIER: tuple[str, ...] = ("allies", "powers", "countries", "nations", "children")
# Words that head a list of a group's members (R30: "seven countries including the United States, Turkey and
# Saudi Arabia said": the group is the claimant, its named members co-claimants).
MEMBER_LIST_HEADS: tuple[str, ...] = ("including", "such as", "among them")
GROUP_MODIFIERS: tuple[str, ...] = (
    "terrorist", "radical", "sunni", "shia", "shiite", "islamist", "jihadist", "rebel", "armed", "moderate",
    "opposition", "these", "those", "other", "local", "foreign", "kurdish", "arab", "syrian", "iraqi", "western",
    "military", "world", "its", "their", "his", "her", "militant", "extremist",
)
# Units of state forces named without their country ("a battalion of marines", "special operations
# commandos"): the military of the country named last in the sentence, if any.
UNIT_HEADS: tuple[str, ...] = (
    "commandos", "marines", "troops", "soldiers", "special forces", "paratroopers", "servicemen",
    "special operations forces", "special operations commandos", "elite fighters",
)
UNIT_MODIFIERS: tuple[str, ...] = ("more", "first", "group", "of", "battalion", "a", "elite", "special", "operations")

# Countries outside the registry: mentions with the type `country` (places after a locative preposition).
OTHER_COUNTRIES: tuple[str, ...] = (
    "Afghanistan", "Algeria", "Bahrain", "China", "Egypt", "Germany", "Israel", "Italy", "Japan", "Jordan",
    "Kuwait", "Lebanon", "Libya", "Oman", "Pakistan", "Qatar", "Spain", "Ukraine", "Yemen", "India",
    "United Arab Emirates", "UAE", "Canada", "Australia", "Belgium", "Netherlands", "Denmark", "Armenia",
    "Azerbaijan", "Georgia", "Kazakhstan", "Belarus", "Tunisia", "Morocco", "Sudan", "Somalia", "Cyprus",
    "Greece", "Poland", "Sweden", "Norway", "Finland",
)
# Nouns after "<country>'s" that make the country a place ("Syria’s second city"), not a possessor.
PLACE_NOUNS: tuple[str, ...] = (
    "city", "second", "capital", "north", "south", "east", "west", "border", "borders", "territory", "province",
    "airspace", "skies", "coast", "soil",
)

# An actor alias followed by one of these nouns is still that actor ("Islamic State fighters", "ISIS fighters").
MEMBER_NOUNS: tuple[str, ...] = ("fighters", "militants", "members", "jihadists", "forces", "commanders")

# Words before a place name or country that make it the place of an event, not an actor ("in western Syria").
LOCATIVE_PREPOSITIONS: tuple[str, ...] = (
    "in", "into", "inside", "to", "near", "across", "outside", "from", "at", "towards", "toward", "around",
    "throughout", "over", "within", "for", "on",
)
# Capitals in the registry that are places when they follow a locative preposition ("In Washington, ...").
PLACE_ALIASES: tuple[str, ...] = ("Moscow", "Washington", "Damascus", "Kremlin", "White House")

# Pronouns that can be claimants or arguments, with the kind of antecedent they take.
PRONOUNS: dict[str, str] = {
    "he": "person", "she": "person", "him": "person", "her": "person", "his": "person",
    "it": "group", "they": "group", "them": "group", "we": "we", "our": "we", "i": "i",
}
# First-person pronouns are never resolved (the speaker of a quotation is not guessed, R20); the type they get.
SPEAKER_TYPES: dict[str, str] = {"we": "government", "i": "person"}
# Mentions a bare head is never resolved to by type: an adjective read by its noun names no group ("the
# coalition" is not "Russian" in "Russian bombing campaign").
NOT_ANTECEDENT_RULES: tuple[str, ...] = (
    "nationality-attack", "nationality-policy", "nationality-country", "nationality-coordinated", "country-possessive",
)

# Bare head nouns resolved to the latest earlier mention with the same head ("officials" after "Russian
# officials", "the army" after "Syrian army"), with the type they get when nothing earlier matches.
COREF_HEADS: dict[str, str] = {
    "officials": "government", "army": "military", "military": "military", "ministry": "government",
    "group": "armed_group", "monitor": "ngo", "observatory": "ngo", "agency": "media", "coalition": "military",
    "government": "government", "regime": "government", "tabloid": "media", "newspaper": "media",
    "forces": "military", "official": "person", "spokesman": "person",
}
# Nouns for an act of saying (R18, R24, R34): never an actor or an ACCUSE trigger. As the subject of a cue ("The
# statement said") they stand for the source of the statement, found as a pronoun's antecedent; as the object of
# a light verb ("made the announcement") they are a claim referred to by a noun.
SPEECH_ACT_NOUNS: tuple[str, ...] = (
    "statement", "statements", "report", "reports", "announcement", "communique", "communiqué", "release",
    "story", "remarks", "comments", "rundown", "briefing", "declaration",
)
# Verbs that make a claim of a speech-act noun: "John Kerry made the announcement", "the general staff gave its
# rundown of facilities ..." (R18).
SPEECH_ACT_VERBS: tuple[str, ...] = ("made", "gave", "issued", "released", "delivered", "published")
# The medium a claim passed through (R17): the object of "told" ("told AFP", "told the tabloid") or of "in an
# interview with" when it is one of these nouns or a media actor.
MEDIA_NOUNS: tuple[str, ...] = (
    "tabloid", "newspaper", "paper", "agency", "news agency", "broadcaster", "channel", "television", "radio",
    "magazine", "daily", "website", "state television", "state media", "news channel",
)
# Words of the audience after "told" that are not the content ("told reporters", "told a news conference",
# "told SANA reporter").
AUDIENCE_WORDS: tuple[str, ...] = (
    "reporters", "reporter", "journalists", "correspondent", "correspondents", "news", "press", "conference",
    "briefing", "agency", "television", "tv", "channel", "radio", "newspaper", "daily", "website", "a", "an",
    "the", "state", "media", "-",
)

# -- quantities ----------------------------------------------------------------------------------------------

NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
}
MULTIPLIERS: dict[str, float] = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Vague amounts: qualifier `vague` with a lower bound ("dozens": at least two dozen).
VAGUE_AMOUNTS: dict[str, float] = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20_000,
    "several": 3,
}

# Words before a number and the qualifier they give (ontology qualifiers).
QUALIFIER_WORDS: dict[str, str] = {
    "at least": "at_least", "no fewer than": "at_least", "a minimum of": "at_least",
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "about": "about", "around": "about", "some": "about", "nearly": "about", "almost": "about",
    "approximately": "about", "roughly": "about", "an estimated": "about",
    "up to": "up_to", "as many as": "up_to",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than",
}

# What a number counts, decided by the noun after it (lower case, any of the forms).
MEASURAND_NOUNS: dict[str, tuple[str, ...]] = {
    "targets_struck": ("targets", "target", "positions", "sites"),
    "strikes": ("strikes", "airstrikes", "air strikes", "raids", "air raids", "attacks", "bombings"),
    "sorties": ("sorties", "sortie", "flights", "missions", "combat flights"),
    "missiles": ("missiles", "missile", "cruise missiles", "rockets", "bombs", "shells"),
    "killed": ("dead", "deaths", "killed", "bodies", "lives", "fatalities"),
    "injured": ("wounded", "injured", "injuries"),
    "troops": ("troops", "soldiers", "commandos", "marines", "fighters", "personnel", "advisers", "servicemen",
               "special forces", "boots", "military advisers", "battalions", "men"),
    "vehicles_destroyed": ("vehicles", "tanks", "trucks", "armoured vehicles"),
    "facilities_destroyed": ("depots", "bases", "facilities", "posts", "command posts", "warehouses",
                             "camps", "command centres", "command centers", "bunkers", "buildings"),
    "duration_months": ("months", "month"),
    "countries": ("countries", "nations", "states", "parties", "governments"),
}
# Verbs after a number that decide what it counts ("57 killed", "Dozens more were wounded").
MEASURAND_VERBS: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "died", "dead", "slain", "perished"),
    "injured": ("wounded", "injured", "hurt"),
    "troops": ("deployed", "sent", "stationed", "dispatched"),
    "targets_struck": ("destroyed", "hit", "struck"),
}
# People counted as civilians: a death count of these is `killed_civilians`.
CIVILIAN_NOUNS: tuple[str, ...] = ("civilians", "civilian", "women", "children", "people", "residents")
PERCENT_WORDS: tuple[str, ...] = ("%", "percent", "per cent")
CURRENCY_SIGNS: dict[str, str] = {"$": "money_usd"}

# -- events ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """Phrases that express an event of one type and mode.

    ``mode`` None: decided by the sentence's mode cues (:data:`MODE_CUES`), else ``unspecified``.
    ``granularity`` None: decided by the aggregate cues. ``context``: the phrase is an event only when the
    sentence holds a cue word of the type (a weapon, a strike word...): "hit", "sent", "destroyed" are too
    common to count on their own.
    """

    phrases: tuple[str, ...]
    mode: str | None = None
    granularity: str | None = None
    context: bool = False

    @property
    def plain(self) -> tuple[str, ...]:
        """The phrases as the matcher looks for them (without the brackets that mark a trigger's head)."""
        return tuple(phrase.replace("[", "").replace("]", "") for phrase in self.phrases)

    def head(self, words: list[str]) -> tuple[int, int]:
        """Which of the matched ``words`` are the trigger: the bracketed ones of a phrase like "in [support] of"
        (the event is "support"), else all of them."""
        for phrase in self.phrases:
            parts = phrase.split()
            if "[" in phrase and [w.strip("[]") for w in parts] == words:
                marked = [k for k, w in enumerate(parts) if w.startswith("[") or w.endswith("]")]
                return marked[0], marked[-1] + 1
        return 0, len(words)


def _t(mode: str | None, *phrases: str, granularity: str | None = None, context: bool = False) -> Trigger:
    return Trigger(phrases, mode, granularity, context)


TRIGGERS: dict[str, tuple[Trigger, ...]] = {
    "ATTACK": (
        _t("aerial", "air strike", "air strikes", "airstrike", "airstrikes", "air raid", "air raids",
           "air campaign", "bombing campaign", "bombing", "bombings", "bombed", "bombarded", "bombardment",
           "air attacks", "air attack", "bombing raids", "aerial bombardment", "flying attack"),
        _t("missile", "missile attack", "missile attacks", "missile strike", "missile strikes", "rocket attack",
           "rocket attacks", "cruise missile strikes"),
        _t("naval", "naval strikes", "naval strike"),
        _t("artillery", "shelling", "shelled", "artillery fire", "bombarding"),
        _t("explosives", "car bomb", "suicide bombing", "suicide bomber", "roadside bomb", "car bombing"),
        # an explosion does not say what caused it (the guidelines' example: "rocked by a large explosion")
        _t("unspecified", "explosion", "explosions", "blast", "blasts", "bomb explosion", "exploded"),
        _t("drone", "drone strike", "drone strikes"),
        _t("firearms", "shooting", "gunfire", "opened fire"),
        _t(None, "attack", "attacks", "attacked", "attacking", "strike", "strikes", "striking", "raid", "raids",
           "campaign", "military actions", "military operation", "operations"),
        _t(None, "hit", "hits", "hitting", "struck", "targeted", "targeting", "destroyed", "destroys",
           "destroy", "destroying", "fired", "firing", "launched", "launching", "pounded", "devastation",
           "landed", "crashed", context=True),
    ),
    "CLASH": (
        # offensives, pushes and advances cover many engagements (R28)
        _t("ground", "ground offensive", "ground push", "offensive", "ground operation", "push forward",
           "advance", "advanced", granularity="aggregate"),
        _t("unspecified", "fighting", "fight", "fought", "clashes", "clashed", "clash", "battle", "battles",
           "war", "civil war", "combat", "combat mission", "join fight", "insurgency", granularity="aggregate"),
    ),
    "TERRITORY_CHANGE": (
        _t("captured", "retake", "retook", "retaken", "recapture", "recaptured", "captured", "capture", "seized",
           "seize", "took control", "taken control", "overran", "liberated", "liberate", "regained"),
        _t("lost", "lost control", "fell to", "lose control"),
    ),
    "DEPLOY": (
        _t(None, "deployed", "deploy", "deploying", "deployment", "redeploy", "redeployed", "stationed",
           "boots on the ground"),
        _t(None, "sent", "send", "sending", "dispatched", "arrived", context=True),
    ),
    "WITHDRAW": (
        _t(None, "withdraw", "withdrawn", "withdrew", "withdrawal", "withdrawing", "pull out", "pulled out",
           "pulling out", "pull back", "pulled back", "retreat", "retreated"),
    ),
    "MILITARY_AID": (
        _t("training", "train and equip", "train, advise and assist", "training", "trained", "train",
           granularity="aggregate"),
        _t("weapons", "providing weaponry", "arming", "armed", "equip", "equipped", "supplying weapons",
           "weapons deliveries", granularity="aggregate"),
        _t("funding", "funding", "funded", "financing", granularity="aggregate"),
        _t("advice", "assisting and advising", "advising", "advisory capacity", "advise", granularity="aggregate"),
        _t("air_support", "air support", "air cover", granularity="aggregate"),
        _t("unspecified", "military involvement", "military support", "in [support] of", "to [support]",
           "military aid", granularity="aggregate"),
    ),
    "MEET": (
        _t("talks", "talks", "held talks", "negotiations", "hold talks"),
        _t("conference", "news conference", "joint news conference", "press conference"),
        _t("visit", "met", "meet", "visit", "visited", "visiting"),
        _t("phone", "phone call", "spoke by phone", "telephone call"),
        _t("unspecified", "meeting", "meetings", "summit"),
    ),
    "AGREE": (
        _t("ceasefire", "ceasefire", "cease-fire", "truce", "cessation of hostilities"),
        _t("cooperation", "co-operate", "cooperate", "cooperation", "co-operation", "coordinated",
           "coordinate", "coordination"),
        _t("political_process", "diplomatic process", "political process", "political transition",
           "negotiated end", "directed", "peace deal", "peace process"),
        _t("unspecified", "agreed", "agree", "agreement", "deal", "accord"),
    ),
    "REQUEST": (
        _t("invite", "invite", "invited", "invitation", "ask", "asked", "asks"),
        _t("demand", "demand", "demanded", "demands", "urged", "urge"),
        _t("appeal", "appeal", "appealed", "called on", "calls on", "call on"),
    ),
    "ACCUSE": (
        _t("criticize", "criticized", "criticised", "criticism", "criticize", "criticise", "ire", "slammed"),
        _t("condemn", "condemned", "condemn", "condemns", "condemnation"),
        _t("allege", "accused", "accuses", "accusation", "accusations", "blamed", "blames", "alleged"),
    ),
    "DIE": (
        _t("unspecified", "killed", "killing", "killings", "kill", "dead", "died", "die", "deaths", "death toll",
           "massacre", "casualties", "lives"),
    ),
    "INJURE": (
        _t("unspecified", "wounded", "injured", "wounding", "injuring", "injuries", "hurt"),
    ),
}

# Words in the sentence that decide an event's mode when its trigger does not, per event type.
MODE_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "ATTACK": {
        "aerial": ("air strikes", "airstrikes", "air strike", "airstrike", "jets", "warplanes", "aircraft",
                   "planes", "bombers", "bombing", "air force", "raids", "sorties", "air"),
        "missile": ("missiles", "missile", "cruise missiles", "rockets", "rocket"),
        "drone": ("drone", "drones"),
        "artillery": ("artillery", "shelling", "shells", "mortar", "mortars"),
        "naval": ("naval", "warships", "warship"),
        "explosives": ("bomb", "explosion", "blast", "explosives"),
        "firearms": ("gunfire", "gunmen", "rifles"),
    },
    "DEPLOY": {
        "special_forces": ("commandos", "special operations", "special forces", "elite fighters"),
        "aircraft": ("jets", "warplanes", "aircraft", "planes", "helicopters", "bombers"),
        "naval": ("warships", "ships", "navy", "submarine"),
        "advisers": ("advisers", "advisors"),
        "weapons": ("weapons", "missile systems", "equipment"),
        "troops": ("troops", "soldiers", "marines", "battalion", "forces", "boots"),
    },
    "WITHDRAW": {
        "troops": ("troops", "soldiers", "forces", "fighters"),
        "aircraft": ("jets", "warplanes", "aircraft", "planes"),
    },
}

# Words that make a trigger's sentence an attack or deployment context (for triggers with ``context``).
CONTEXT_CUES: dict[str, tuple[str, ...]] = {
    "ATTACK": (
        "strikes", "strike", "airstrikes", "air strikes", "missiles", "missile", "jets", "warplanes", "bombing",
        "raids", "targets", "bombs", "rockets", "shelling", "artillery", "drone", "sorties", "military",
        "attacks", "aircraft", "bombers", "campaign",
    ),
    "DEPLOY": (
        "troops", "soldiers", "commandos", "marines", "forces", "battalion", "special operations", "jets",
        "warplanes", "aircraft", "boots", "fighters", "advisers", "warships", "military",
    ),
}

# Cues of an aggregate event (many incidents summarised): plural triggers also count.
AGGREGATE_CUES: tuple[str, ...] = (
    "campaign", "since", "past", "month", "months", "weeks", "daily", "dozens", "hundreds", "relentless",
    "repeatedly", "series",
)

# Realis cues before a trigger (in its clause), strongest first: the first table with a cue decides.
REALIS_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("negated", ("not", "n't", "n’t", "no", "never", "without", "denied", "deny", "denies", "nor", "neither",
                 "cannot", "refused")),
    ("generic", ("daily", "routinely", "regularly", "usually", "habitually", "every day")),
    ("hypothetical", ("may", "might", "could", "would", "should", "can", "if", "unless", "whether",
                      "possible", "possibly", "opportunity", "interest in", "goal of", "aim of", "aimed at",
                      "calls for", "in order to", "in an effort to", "wants to", "want to", "wanted to",
                      "seeks to", "seeking to", "sought to", "trying to", "tries to", "aims to", "aim to",
                      "aiming to", "intends to", "intended to", "bid to", "so as to", "designed to")),
    ("future", ("will", "'ll", "to be", "about to", "plans to", "planned", "plan to", "going to", "is due to",
                "are due to", "set to", "expected to", "future", "ahead of", "is to", "are to", "scheduled to")),
)
# A process named after a verb that starts it is that verb's topic (the guidelines' AGREE example: "directed the
# United Nations to begin a new diplomatic process": the event is "begin", its topic the process).
START_VERBS: tuple[str, ...] = ("begin", "began", "begun", "start", "started", "launch", "launched", "initiate",
                                "initiated", "resume", "resumed", "restart", "restarted", "open", "opened")
PROCESS_NOUNS: tuple[str, ...] = ("process", "transition", "talks", "negotiations", "dialogue")
# Verbs that direct someone to act: the event after "to" is planned (``future``), not a purpose ("directed the
# United Nations to begin ...", "ordered the army to withdraw").
DIRECTIVE_VERBS: tuple[str, ...] = ("directed", "ordered", "instructed", "authorized", "authorised", "tasked",
                                    "agreed", "decided", "voted", "pledged", "promised", "vowed")
# An infinitive "to" right before a trigger makes it the purpose of another event: ``hypothetical`` (R10:
# "a campaign to destroy", "to retake towns") — unless a word of these lists comes before the "to": a verb that
# says the event happens ("began to"), or a programme or mission named with its activity (R35: "a program to
# train and equip" is ``actual``).
ACTUAL_BEFORE_TO: tuple[str, ...] = (
    "began", "begun", "begin", "begins", "started", "start", "starts", "continued", "continue", "continues",
    "managed", "used", "program", "programme", "programs", "programmes", "mission", "missions",
)
REALIS_WINDOW = 6  # tokens before the trigger searched for realis cues, within its clause

# -- time and place -----------------------------------------------------------------------------------------

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)
TIME_UNITS: tuple[str, ...] = ("day", "days", "week", "weeks", "month", "months", "year", "years", "hours")
# Fixed time phrases and their precision.
TIME_PHRASES: dict[str, str] = {
    "today": "day", "yesterday": "day", "tonight": "day", "this morning": "day", "last night": "day",
    "mid-morning": "day", "this week": "week", "last week": "week", "this month": "month",
    "last month": "month", "this year": "year", "last year": "year", "relatively soon": "unknown",
    "soon": "unknown", "daily": "unknown", "recently": "unknown",
}
# Nouns before "of <Name>" that say how precise a place is ("the district of Jabal al-Zawiya").
PLACE_KIND_NOUNS: dict[str, str] = {
    "district": "district", "province": "province", "governorate": "province", "city": "town", "town": "town",
    "village": "town", "suburb": "town", "region": "region", "area": "district", "port city": "town",
}
# Compass words that make a country a region ("western Syria", "the north").
COMPASS_WORDS: tuple[str, ...] = (
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "northwest", "northeast",
    "southwest", "southeast", "northwestern", "northeastern", "southwestern", "southeastern", "central",
)

# -- claims -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """Reporting verbs or phrases with the stance and certainty they give the claim they introduce."""

    phrases: tuple[str, ...]
    stance: str = "affirm"
    certainty: str = "certain"


def _c(*phrases: str, stance: str = "affirm", certainty: str = "certain") -> Cue:
    return Cue(phrases, stance, certainty)


CUES: tuple[Cue, ...] = (
    _c("said", "says", "say", "saying", "told", "tells", "added", "adds", "stated", "states", "announced",
       "announcing", "announces", "revealed", "reveals", "insists", "insisted", "insisting", "maintained",
       "maintaining", "maintains", "acknowledged", "acknowledges", "confirmed", "confirms", "observed",
       "reported", "reports", "first reported", "noted", "explained", "declared", "wrote", "claimed", "claims",
       "claiming",
       "argued", "warned", "stressed", "according to", "praise", "praised", "blamed", "accused", "estimated"),
    _c("believe", "believes", "believed", "voiced concern", "expressed concern", "voiced fears", "expressed fear",
       "expressed fears", "fear", "fears", "feared", "suspect", "suspects",
       "suspected", "think", "thinks", "expects", "expected", certainty="probable"),
    _c("denied", "denies", "deny", "rejected", "rejects", "dismissed", stance="deny"),
    _c("there's a talk", "there’s a talk", stance="neutral", certainty="unknown"),
    # claims or reports with no one named: an unnamed source (R15) asserting the content
    _c("amid claims", "amidst claims", "amid reports", "amidst reports"),
)

# Hedges in the content's main clause that lower the claim's certainty (FactBank's PR and PS).
CERTAINTY_HEDGES: dict[str, tuple[str, ...]] = {
    "probable": ("appears", "appear", "appeared", "seems", "seem", "likely", "probably", "believed", "believe",
                 "should"),
    "possible": ("may", "might", "could", "perhaps", "maybe"),
}

# Words that end a reported clause when they follow a comma (what comes after is the outlet's own text):
# "... said the missiles landed in Iran on Wednesday, confirming a story first reported by CNN".
CONTENT_STOPS: tuple[str, ...] = (
    "after", "before", "while", "although", "though", "whereas", "but", "confirming", "adding", "referring",
    "citing", "saying", "according", "pointing", "gesturing", "speaking", "standing", "sitting", "crying",
    "smiling", "laughing", "describing",
)

# Subordinators dropped at the start of a content span ("said that ...").
COMPLEMENTISERS: tuple[str, ...] = ("that",)

# -- event arguments ----------------------------------------------------------------------------------------

# The role an actor mention takes by its position, per event type: before the trigger (the subject of an active
# verb or the modifier of a noun trigger), after it (the object of a verb), after "by" (the agent of a
# passive), after "with" (another participant), after "of" (the subject of a noun: "involvement of Iran")
# and before a passive verb. Roles must exist for the type in the ontology (checked).
ROLE_BY_POSITION: dict[str, dict[str, str]] = {
    "ATTACK": {"before": "attacker", "after": "target", "by": "attacker", "passive": "target"},
    "CLASH": {"before": "participant", "after": "participant", "by": "attacker", "with": "participant"},
    "TERRITORY_CHANGE": {"before": "agent", "after": "target", "by": "agent"},
    "DEPLOY": {"before": "agent", "after": "instrument", "by": "agent", "passive": "instrument", "of": "instrument"},
    "WITHDRAW": {"before": "agent", "by": "agent", "passive": "agent", "of": "agent"},
    "MILITARY_AID": {"before": "agent", "after": "recipient", "by": "agent", "passive": "recipient", "of": "agent"},
    "MEET": {"before": "participant", "after": "participant", "with": "participant"},
    "AGREE": {"before": "participant", "with": "participant"},  # "directed the UN to begin": not a party
    "REQUEST": {"before": "agent", "after": "recipient", "by": "agent"},
    "ACCUSE": {"before": "agent", "after": "recipient", "by": "agent", "of": "recipient"},
    "DIE": {"before": "victim", "after": "victim", "by": "agent", "passive": "victim", "of": "victim"},
    "INJURE": {"before": "victim", "after": "victim", "by": "agent", "passive": "victim", "of": "victim"},
}
# Modes whose positions take other roles: a ground offensive has an attacker and a target, fighting in
# general has participants.
ROLE_BY_MODE: dict[tuple[str, str], dict[str, str]] = {
    ("CLASH", "ground"): {"before": "attacker", "after": "target", "by": "attacker"},
}
# Last words of triggers that are nouns: they take no object ("the air strikes had ...", "the campaign
# fails ..."), only modifiers, "of", "by" and prepositional phrases.
NOMINAL_TRIGGER_WORDS: tuple[str, ...] = (
    "campaign", "explosion", "explosions", "war", "offensive", "massacre", "casualties", "involvement",
    "criticism", "mission", "capacity", "devastation", "ire", "talks", "summit", "meetings", "conference",
    "ceasefire", "fire", "truce", "deal", "agreement", "accord", "process", "transition", "actions", "operation",
    "operations", "bombardment", "bombings", "blast", "withdrawal", "deployment", "cooperation", "co-operation",
    "coordination", "invitation", "accusation", "accusations", "condemnation", "injuries", "killings", "deaths",
    "toll", "lives", "aid", "strikes", "airstrikes", "raids", "attacks", "clashes", "battle", "battles", "combat",
    "insurgency", "weaponry", "cover", "hostilities", "end",
)
# Last words of triggers that take no object ("crashed en route", "arrived in Syria").
INTRANSITIVE_TRIGGER_WORDS: tuple[str, ...] = (
    "crashed", "landed", "exploded", "arrived", "died", "fell", "advanced", "retreated", "withdrew", "redeploy",
)
# Nouns after a noun trigger that make the trigger a modifier, not an event ("war strategy", "war crimes").
NOT_EVENT_BEFORE: tuple[str, ...] = (
    "strategy", "strategies", "policy", "policies", "zone", "zones", "crimes", "crime", "criminal", "criminals",
    "correspondent", "correspondents", "reporter", "footage", "monitor", "veterans", "planes", "jets",
)
# Nouns of what is hit that make a target a span, not the mention of its owner (R27: "Islamic State Command
# Center" is a span; "55 Islamic State targets" and "IS positions" are the mention of IS).
FACILITY_NOUNS: tuple[str, ...] = (
    "command center", "command centre", "headquarters", "stronghold", "strongholds", "base", "bases", "airbase",
    "depot", "depots", "warehouse", "warehouses", "camp", "camps", "hospital", "hospitals", "school", "schools",
    "market", "command post", "command posts", "field headquarters", "checkpoint", "checkpoints", "convoy",
)
# Prepositions that make an attack noun the means of a verb naming the same attack (R25: "targeted ... in missile
# attacks", "targeting ... with aerial bombings", "hit by Russian airstrikes").
MEANS_PREPOSITIONS: tuple[str, ...] = ("in", "with", "by")
# Noun triggers whose "of" phrase is the recipient, not the agent ("in support of the Syrian government").
OF_RECIPIENT_WORDS: tuple[str, ...] = ("support", "aid", "backing")
# Words between a noun trigger and its subject that belong to the trigger's noun phrase ("Russia’s military
# campaign", "Russia’s launch of airstrikes", "the relentless bombing").
EVENT_NOUN_MODIFIERS: tuple[str, ...] = (
    "military", "air", "aerial", "naval", "ground", "joint", "new", "relentless", "sudden", "heavy", "massive",
    "brutal", "increased", "latest", "recent", "first", "bombing", "launch", "of", "wave", "series", "use",
)
# Target spans that name nothing more than that something was hit ("1,623 targets were hit": no target, R27).
GENERIC_TARGETS: tuple[str, ...] = ("targets", "target", "positions", "position", "sites", "site", "objects")
# Heads of target spans that take the place after them (R27: "areas in western Syria").
AREA_NOUNS: tuple[str, ...] = (
    "areas", "area", "parts", "part", "regions", "region", "villages", "towns", "neighbourhoods",
    "neighborhoods", "districts", "positions", "targets", "sites",
)
# An attack whose purpose is to take these is a ground offensive (the guidelines: "a 'big attack' to retake
# towns and villages" is a CLASH, mode ground, aggregate).
GROUND_OFFENSIVE_PURPOSES: tuple[str, ...] = ("TERRITORY_CHANGE",)
# Words after a weekday that make it part of a noun, not a time ("Friday prayers").
NOT_TIME_AFTER: tuple[str, ...] = ("prayers", "prayer", "sermon", "sermons", "market", "edition", "night's")
# Prepositions that introduce what an attack or a fight is aimed at ("strikes on areas", "war against ISIL").
TARGET_PREPOSITIONS: tuple[str, ...] = ("on", "at", "against", "onto")
# Prepositions that put a mention inside a phrase that modifies the subject ("Syrian rebels against president
# Bashar al-Assad were targeted": the subject is the rebels).
SUBJECT_MODIFIER_PREPOSITIONS: tuple[str, ...] = ("against", "of", "for", "from", "in", "near", "with")
# Where a DEPLOY goes or WITHDRAW leaves: the role of a place after these prepositions.
MOVEMENT_PREPOSITIONS: dict[str, str] = {"into": "destination", "to": "destination", "in": "destination",
                                         "from": "origin"}

# Which event types a quantity's measurand belongs to, best first.
MEASURAND_EVENTS: dict[str, tuple[str, ...]] = {
    "targets_struck": ("ATTACK",),
    "strikes": ("ATTACK",),
    "sorties": ("ATTACK",),
    "missiles": ("ATTACK",),
    "killed": ("DIE", "ATTACK"),
    "killed_civilians": ("DIE", "ATTACK"),
    "injured": ("INJURE", "ATTACK"),
    "troops": ("DEPLOY", "WITHDRAW", "MILITARY_AID", "CLASH"),
    "vehicles_destroyed": ("ATTACK",),
    "facilities_destroyed": ("ATTACK",),
    "percent_on_target": ("ATTACK",),
    "money_usd": ("MILITARY_AID", "AGREE"),
    "duration_months": ("ATTACK", "DEPLOY", "CLASH", "MILITARY_AID"),
    "countries": ("AGREE", "MEET", "ACCUSE", "REQUEST", "MILITARY_AID"),
    "other": ("ATTACK", "DIE", "DEPLOY", "CLASH", "MILITARY_AID"),
}


# -- checking ------------------------------------------------------------------------------------------------


def lexicon_problems(ont: Ontology) -> list[str]:
    """Every name in the lexicon the ontology does not define, as sentences that say what to change."""
    problems: list[str] = []
    types = ont.event_type_by_id
    measurands = set(ont.ids("measurands"))
    qualifiers = set(ont.ids("qualifiers"))
    realis = set(ont.ids("realis"))
    granularity = set(ont.ids("granularity"))
    actor_types = set(ont.ids("actor_types"))

    def need(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    for table, keys in (("TRIGGERS", TRIGGERS), ("MODE_CUES", MODE_CUES), ("CONTEXT_CUES", CONTEXT_CUES)):
        for type_id in keys:
            need(type_id in types, f"{table}: event type `{type_id}` is not in the ontology; rename or remove it")
    for type_id, triggers in TRIGGERS.items():
        for trig in triggers:
            if type_id in types and trig.mode is not None:
                need(trig.mode in types[type_id].modes,
                     f"TRIGGERS[{type_id}]: mode `{trig.mode}` is not a mode of {type_id}; use one of "
                     f"{', '.join(types[type_id].modes)}")
            if type_id in types and trig.mode is None:
                need("unspecified" in types[type_id].modes,
                     f"TRIGGERS[{type_id}]: a trigger without a mode needs the mode `unspecified` in {type_id}")
            if trig.granularity is not None:
                need(trig.granularity in granularity, f"TRIGGERS[{type_id}]: granularity `{trig.granularity}` is unknown")
    for type_id, modes in MODE_CUES.items():
        for mode in modes:
            need(type_id not in types or mode in types[type_id].modes,
                 f"MODE_CUES[{type_id}]: mode `{mode}` is not a mode of {type_id}")
    role_tables = [(f"ROLE_BY_POSITION[{t}]", t, None, positions) for t, positions in ROLE_BY_POSITION.items()]
    role_tables += [(f"ROLE_BY_MODE[{t}, {m}]", t, m, positions) for (t, m), positions in ROLE_BY_MODE.items()]
    for label, type_id, mode, positions in role_tables:
        if type_id not in types:
            need(False, f"{label}: event type `{type_id}` is not in the ontology")
            continue
        need(mode is None or mode in types[type_id].modes, f"{label}: mode `{mode}` is not a mode of {type_id}")
        for role in positions.values():
            need(role in types[type_id].roles, f"{label}: role `{role}` is not allowed for {type_id}")
    for role in (*MOVEMENT_PREPOSITIONS.values(), "cause"):
        need(role in ont.ids("roles"), f"role `{role}` is not in the ontology's roles")
    for name in (*MEASURAND_NOUNS, *MEASURAND_VERBS, *MEASURAND_EVENTS, *CURRENCY_SIGNS.values()):
        need(name in measurands, f"measurand `{name}` is not in the ontology's quantity measurands")
    for type_ids in MEASURAND_EVENTS.values():
        for type_id in type_ids:
            need(type_id in types, f"MEASURAND_EVENTS: event type `{type_id}` is not in the ontology")
    for qualifier in QUALIFIER_WORDS.values():
        need(qualifier in qualifiers, f"QUALIFIER_WORDS: qualifier `{qualifier}` is not in the ontology")
    for value, _ in REALIS_CUES:
        need(value in realis, f"REALIS_CUES: realis `{value}` is not in the ontology")
    for cue in CUES:
        need(cue.stance in ont.ids("stance"), f"CUES: stance `{cue.stance}` is not in the ontology")
        need(cue.certainty in ont.ids("certainty"), f"CUES: certainty `{cue.certainty}` is not in the ontology")
    for level in CERTAINTY_HEDGES:
        need(level in ont.ids("certainty"), f"CERTAINTY_HEDGES: certainty `{level}` is not in the ontology")
    for kind in (*GROUP_HEADS, *COREF_HEADS.values()):
        need(kind in actor_types, f"actor type `{kind}` is not in the ontology's actor types")
    for adjective, nat in NATIONALITIES.items():
        for actor in (nat.country, nat.government, nat.military, nat.defence):
            need(actor is None or actor in ont.actor_by_id,
                 f"NATIONALITIES[{adjective}]: actor `{actor}` is not in the registry; add it or use null")
    for capital, actor in CAPITALS.items():
        need(actor is None or actor in ont.actor_by_id,
             f"CAPITALS[{capital}]: actor `{actor}` is not in the registry; add it or use null")
    for kind in SPEAKER_TYPES.values():
        need(kind in actor_types, f"SPEAKER_TYPES: actor type `{kind}` is not in the ontology's actor types")
    for type_id in GROUND_OFFENSIVE_PURPOSES:
        need(type_id in types, f"GROUND_OFFENSIVE_PURPOSES: event type `{type_id}` is not in the ontology")
    need({"CLASH", "ATTACK", "AGREE"} <= set(types) and "ground" in types.get("CLASH").modes,
         "the engine needs the event types ATTACK, CLASH (mode `ground`) and AGREE")
    for precision in (*TIME_PHRASES.values(),):
        need(precision in ont.ids("time_precision"), f"TIME_PHRASES: precision `{precision}` is unknown")
    for precision in PLACE_KIND_NOUNS.values():
        need(precision in ont.ids("place_precision"), f"PLACE_KIND_NOUNS: precision `{precision}` is unknown")
    return problems
