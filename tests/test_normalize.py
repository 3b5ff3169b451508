"""The normalisation policy: one test per rule with a literal example from the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterclaim.corpus import normalize as N

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "corpus" / "raw"


def seed(name: str) -> str:
    return N.decode_utf8((SEEDS / name).read_bytes())


def rule(name: str) -> N.Rule:
    return next(r for r in N.RULES if r.name == name)


# --- the table itself -------------------------------------------------------------------------------


def test_rule_names_are_unique_and_in_policy_order():
    names = [r.name for r in N.RULES]
    assert len(names) == len(set(names))
    assert names == [
        "newlines", "nfc", "plain-spaces", "zero-width", "collapse-spaces", "strip-lines",
        "comment-form-block", "comment-form-lines", "share-marker", "advertisement-marker",
        "glued-photo-credit", "credit-prefix", "blank-lines", "repeated-title",
    ]  # fmt: skip


@pytest.mark.parametrize("r", N.RULES, ids=lambda r: r.name)
def test_each_documented_example_holds(r):
    before, after = r.example
    assert before != after
    assert r.apply(before) == after


def test_committed_policy_document_equals_the_generated_one():
    committed = (REPO / "docs" / "normalisation.md").read_text(encoding="utf-8")
    assert committed == N.render_policy_markdown(), "regenerate docs/normalisation.md from render_policy_markdown()"


def test_policy_document_describes_every_rule():
    doc = N.render_policy_markdown()
    for number, r in enumerate(N.RULES, start=1):
        assert f"### {number}. `{r.name}`\n\n{r.description}\n" in doc


# --- decoding -------------------------------------------------------------------------------------


def test_decode_removes_a_byte_order_mark():
    assert N.decode_utf8(b"\xef\xbb\xbfRussia Guts Islamic State!!") == "Russia Guts Islamic State!!"


def test_decode_is_strict():
    with pytest.raises(UnicodeDecodeError):
        N.decode_utf8(b"Russia Guts Islamic\xa0State!!")  # Latin-1 no-break space, not UTF-8


# --- character rules ------------------------------------------------------------------------------


def test_newlines_become_line_feeds():
    assert N.unify_newlines("Share\r\n\r\nRussian air strikes\rhit\u2028IS") == "Share\n\nRussian air strikes\nhit\nIS"


def test_nfc_composes_characters():
    assert N.compose_nfc("President Franc\u0327ois Hollande") == "President Fran\u00e7ois Hollande"


def test_non_breaking_spaces_become_plain_spaces():
    assert N.plain_spaces("Russia Guts Islamic\u00a0State!!") == "Russia Guts Islamic State!!"
    assert N.plain_spaces("Log\u00a0Out\u00a0/\u00a0Change\u202f)") == "Log Out / Change )"


def test_zero_width_characters_are_removed():
    assert N.drop_zero_width("\ufeffRussia Guts\u200b Islamic State!!") == "Russia Guts Islamic State!!"


def test_runs_of_spaces_and_tabs_collapse():
    # 002: "equipment.\xa0 In the past 24 hours" -- the no-break space and the space become one space
    assert N.normalize_text("equipment.\u00a0 In the past 24 hours") == "equipment. In the past 24 hours"
    assert N.collapse_spaces("a\t \tb") == "a b"


def test_spaces_at_line_ends_are_stripped():
    line = "Mr Kerry made no declarations about the future of Syrian President Assad.\u00a0"
    assert (
        N.normalize_text(line + "\nHe said")
        == "Mr Kerry made no declarations about the future of Syrian President Assad.\nHe said"
    )


# --- residue rules --------------------------------------------------------------------------------


def test_comment_section_is_cut_from_leave_a_reply():
    last = "He said the UN-led process should lead to a new constitution for Syria and internationally supervised"
    assert N.normalize_text(f"{last} elections.\n\n\nLeave a Reply") == f"{last} elections."


def test_comment_section_is_cut_from_one_response_to():
    tail = seed("002_b9349cabdf37dc18.txt").split("eliminate the terrorist groups in Syria and Iraq.")[1]
    assert tail.startswith("\n\n\n\nOne response to “Russia Guts Islamic\u00a0State!!")
    assert N.normalize_text("Russia, in contrast, wants to leave Assad in power." + tail) == (
        "Russia, in contrast, wants to leave Assad in power."
    )


def test_responses_marker_only_when_it_is_the_whole_line():
    text = "Two responses to “the crisis” emerged in Moscow.\nLeave a Reply to him, they said."
    assert N.cut_comment_form(text) == text
    assert N.cut_comment_form("Intro\n12 responses to “Russia Guts Islamic State!!”\nA comment") == "Intro"


@pytest.mark.parametrize(
    "line",
    [
        "Fill in your details below or click an icon to log in: Logo",
        "You are commenting using your account. Log Out / Change )",
        "You are commenting using your Twitter account. Log Out / Change )",
        "You are commenting using your Google+ account. Log Out / Change )",
        "Connecting to %s",
        "Twitter picture",
        "Facebook photo",
        "Google+ photo",
    ],
)
def test_comment_form_lines_are_removed_anywhere(line):
    assert N.drop_comment_form_lines(f"Before\n{line}\nAfter") == "Before\nAfter"


def test_comment_form_line_with_no_break_spaces_from_the_seed():
    raw = "Intro\nYou are commenting using your Facebook account. Log\u00a0Out\u00a0/\u00a0Change\u00a0)\nEnd"
    assert N.normalize_text(raw) == "Intro\nEnd"


def test_share_marker_lines_are_removed_but_not_the_word():
    assert N.normalize_text("Share\n\nRussian air strikes hit 55 Islamic State targets in Syria") == (
        "Russian air strikes hit 55 Islamic State targets in Syria"
    )
    assert N.drop_share_markers("Share prices fell in Moscow.") == "Share prices fell in Moscow."


def test_advertisement_lines_are_removed_but_not_the_word():
    raw = "the Syrian Observatory for Human Rights monitoring group said.\n\nAdvertisement\n\nThe Russian air strikes"
    assert (
        N.normalize_text(raw)
        == "the Syrian Observatory for Human Rights monitoring group said.\n\nThe Russian air strikes"
    )
    assert N.drop_advertisement_markers("Advertisement revenue fell.") == "Advertisement revenue fell."


def test_glued_getty_captions_are_removed_and_the_repeated_caption_kept():
    raw = (
        "The statement said 1,623 targets were hit.\nPutin and SarkozyGETTY\n\n"
        "Vladimir Putin meeting former French president Nicholas Sarkozy today\n\n"
        "Sergei Lavrov, John Kerry and Staffan de Mistura in ViennaGETTY\n\n"
        "Sergei Lavrov, John Kerry and Staffan de Mistura in Vienna"
    )
    assert N.normalize_text(raw) == (
        "The statement said 1,623 targets were hit.\n\n"
        "Vladimir Putin meeting former French president Nicholas Sarkozy today\n\n"
        "Sergei Lavrov, John Kerry and Staffan de Mistura in Vienna"
    )


@pytest.mark.parametrize(
    "line",
    [
        "He told AFP",  # a space before the agency: a sentence, not a glued credit
        "The Syrian Observatory for Human Rights (SOHR)",
        "Russia Attacks ISISThe Russian Defense Ministry",
        "x" * 151 + "GETTY",  # longer than a caption
    ],
)
def test_glued_credit_rule_leaves_other_lines(line):
    assert N.drop_glued_credit_captions(line) == line


def test_glued_credit_caption_length_limit_is_150_characters_before_the_credit():
    assert N.drop_glued_credit_captions("x" * 150 + "GETTY") == ""


def test_uncredited_prefix_is_removed_and_the_caption_kept():
    raw = "Uncredited/AP A bomb explosion is seen in Syria as Russia’s launch of airstrikes against Syrian rebels"
    assert (
        N.drop_credit_prefixes(raw)
        == "A bomb explosion is seen in Syria as Russia’s launch of airstrikes against Syrian rebels"
    )
    assert N.drop_credit_prefixes("Fox News/AP poll shows") == "Fox News/AP poll shows"


def test_blank_lines_collapse_and_ends_are_trimmed():
    assert N.squeeze_blank_lines("\n\nIran is one of Assad’s main allies.\n\n\n\nRussia’s sudden decision\n\n") == (
        "Iran is one of Assad’s main allies.\n\nRussia’s sudden decision"
    )


def test_repeated_title_is_dropped_once():
    title = "AWAKENING OF 12 STRANDS of DNA – “Reconnecting with You” Movie"
    content = f"{title}\n\n% of readers think this story is Fact. Add your two cents.\n\n{title}"
    assert N.normalize_record(title, content) == (
        title,
        f"{title}\n\n% of readers think this story is Fact. Add your two cents.\n\n{title}",
    )
    # only a whole first line counts
    assert N.drop_repeated_title("Russia\n\nRussia Attacks ISIS") == "Russia\n\nRussia Attacks ISIS"


# --- whole articles -------------------------------------------------------------------------------


SEED_TITLES = {
    "000_17a8eb7dc5290d52.txt": (
        "Russia destroys 1,600 ISIS targets in JUST one month – and now US commandos join fight"
    ),
    "001_01c6e4c94616b3f2.txt": "Russian air strikes hit 55 Islamic State targets in Syria",
    "002_b9349cabdf37dc18.txt": "Russia Guts Islamic State!!",
    "003_65e93feecc888cc5.txt": "Russia Destroys Islamic State Command Center in Syria",
    "004_f7adc2e7615265e7.txt": "Russian Federation planes strike IS in Syrian city of Palmyra: Syria TV",
}


@pytest.mark.parametrize("name", sorted(SEED_TITLES))
def test_seed_articles_normalise_to_title_blank_line_body(name):
    title, text = N.normalize_article(seed(name))
    assert title == SEED_TITLES[name]
    assert text.startswith(title + "\n\n") and text[len(title) + 2] not in "\n "
    for residue in ("\u00a0", "\r", "GETTY", "Leave a Reply", "Connecting to", "Uncredited/", "\n\n\n"):
        assert residue not in text
    assert not any(line in ("Share", "Advertisement") for line in text.split("\n"))
    assert text == text.strip() and all(line == line.strip() for line in text.split("\n"))


def test_seed_residue_removed_and_nothing_else():
    _, text = N.normalize_article(seed("000_17a8eb7dc5290d52.txt"))
    assert text.count("Sergei Lavrov, John Kerry and Staffan de Mistura in Vienna\n") == 1
    assert "Vladimir Putin meeting former French president Nicholas Sarkozy today" in text
    assert text.endswith("internationally supervised elections.")
    _, text = N.normalize_article(seed("002_b9349cabdf37dc18.txt"))
    assert "Russia Attacks ISISThe Russian Defense Ministry" in text  # glued words are kept
    assert text.endswith("eliminate the terrorist groups in Syria and Iraq.")
    _, text = N.normalize_article(seed("003_65e93feecc888cc5.txt"))
    assert "\n\nA bomb explosion is seen in Syria as Russia’s launch" in text
    assert text.endswith("Egyptian Foreign Minister Sameh Shoukry")  # truncated sentences are kept
    _, text = N.normalize_article(seed("004_f7adc2e7615265e7.txt"))
    assert text.split("\n")[2].startswith("Maj. Jamil al-Saleh")  # no blank line in the source: one is added


def test_titles_of_records_are_single_lines():
    assert N.normalize_title("  Russia Guts\nIslamic\u00a0State!! \r\n") == "Russia Guts Islamic State!!"


def test_normalising_twice_changes_nothing():
    for name in SEED_TITLES:
        _, text = N.normalize_article(seed(name))
        assert N.normalize_text(text) == text
