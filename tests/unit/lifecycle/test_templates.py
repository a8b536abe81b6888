"""The process templates in lifecycle/templates/: every file loads, and a broken one fails at load."""

import itertools
import tomllib
from dataclasses import replace
from importlib import resources

import pytest

from lifecycle.rules.model import AgreementKind
from lifecycle.rules.templates import TemplateError, load_templates, parse_templates

STRUCTURES = {"stockholm", "vastra-gotaland", "orebro", "vastmanland"}


def test_every_template_file_loads():
    files = [e for e in resources.files("lifecycle.templates").iterdir() if e.name.endswith(".toml")]
    assert {f.name.removesuffix(".toml") for f in files} == STRUCTURES
    for entry in files:
        parse_templates(entry.name.removesuffix(".toml"), entry.read_text("utf-8"))
    assert {structure for structure, _ in load_templates()} == STRUCTURES


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_every_structure_has_an_agreement_process_where_the_parties_decide(structure):
    template = load_templates()[structure, AgreementKind.AGREEMENT]
    assert template.parties_decide
    assert template.step(template.recommendation) is not None
    assert template.decision_step is None


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
@pytest.mark.parametrize("kind", [AgreementKind.SUPPLEMENT, AgreementKind.ANNEX])
def test_supplements_and_annexes_follow_the_agreement_process(structure, kind):
    templates = load_templates()
    assert templates[structure, kind] == replace(templates[structure, AgreementKind.AGREEMENT], kind=kind)


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_every_structure_has_a_guideline_decided_by_officials_alone(structure):
    template = load_templates()[structure, AgreementKind.GUIDELINE]
    assert not template.parties_decide
    assert template.recommendation is None
    assert template.decided_by is not None


def test_stockholm_agreement_follows_the_vis_process_of_seed_004():
    template = load_templates()["stockholm", AgreementKind.AGREEMENT]
    assert [s.label for s in template.steps] == [
        "Behov av överenskommelse identifierat",
        "Beslut om att inleda arbete i VIS",
        "Projektledare och gemensam arbetsgrupp tillsatta",
        "Förslag framtaget i arbetsgruppen",
        "Remissrunda",
        "Revidering efter remiss",
        "Beredning i VIS tjänstestyrgrupp",
        "Rekommendation i VIS politiska styrgrupp",
        "Rekommendation i Storsthlms styrelse",
        "Beslut hos parterna",
        "Kommunikation, implementering och löpande förvaltning",
        "Arbetet avbrutet",
    ]
    assert template.recommendation == "rekommendation_storsthlm"
    assert template.recommendation_for == (("region", "rekommendation_politisk_styrgrupp"),)
    assert {s.key for s in template.steps if s.terminal} == {"forvaltning", "avbruten"}


def test_stockholm_guideline_and_transitional_provisions_are_decided_by_vis_alone():
    templates = load_templates()
    assert templates["stockholm", AgreementKind.GUIDELINE].decided_by == "VIS tjänstestyrgrupp"
    assert templates["stockholm", AgreementKind.TRANSITIONAL].decided_by == "VIS politiska styrgrupp"


def test_vastra_gotaland_passes_the_recommendation_down_the_chain_of_seed_003():
    template = load_templates()["vastra-gotaland", AgreementKind.AGREEMENT]
    chain = ["rekommendation_sro", "vastkom", "kommunalforbund", "beslut_hos_parterna"]
    for step, following in itertools.pairwise(chain):
        assert following in template.step(step).next
    assert template.step("vastkom").body == "VästKoms styrelse"
    assert template.recommendation == "rekommendation_sro"


def test_only_stockholm_has_transitional_provisions():
    assert {s for s, kind in load_templates() if kind is AgreementKind.TRANSITIONAL} == {"stockholm"}


def test_load_templates_returns_a_copy_the_caller_may_change():
    load_templates().clear()
    assert load_templates()


VALID = """
name = "Testlän"

[overenskommelse]
parties_decide = true
recommendation = "rek"
withdrawal = "avbruten"

[[overenskommelse.steps]]
key = "forslag"
label = "Förslag"
next = ["rek"]

[[overenskommelse.steps]]
key = "rek"
label = "Rekommendation"
body = "Styrgruppen"
next = ["klar"]

[[overenskommelse.steps]]
key = "klar"
label = "Klar"
terminal = true

[[overenskommelse.steps]]
key = "avbruten"
label = "Avbruten"
terminal = true
"""


def test_a_minimal_template_parses():
    templates = parse_templates("test", VALID)
    assert set(templates) == {
        ("test", AgreementKind.AGREEMENT),
        ("test", AgreementKind.SUPPLEMENT),
        ("test", AgreementKind.ANNEX),
    }
    template = templates["test", AgreementKind.AGREEMENT]
    assert template.structure_name == "Testlän"
    assert template.step("rek").body == "Styrgruppen"
    assert template.step("forslag").body is None


def test_a_template_of_its_own_for_supplements_replaces_the_agreement_process():
    own = """
[tillaggsoverenskommelse]
parties_decide = false
decision_step = "beslut"

[[tillaggsoverenskommelse.steps]]
key = "beslut"
label = "Beslut i tjänstestyrgruppen"
body = "Tjänstestyrgruppen"
next = ["klar"]

[[tillaggsoverenskommelse.steps]]
key = "klar"
label = "Klar"
terminal = true
"""
    templates = parse_templates("test", VALID + own)
    assert templates["test", AgreementKind.SUPPLEMENT].decided_by == "Tjänstestyrgruppen"
    assert templates["test", AgreementKind.ANNEX].parties_decide


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            VALID.replace('next = ["rek"]', 'next = ["rekomendation"]'),
            "leads to unknown step(s) ['rekomendation']",
        ),
        (VALID.replace('name = "Testlän"', ""), "'name' (the structure's Swedish name) is required"),
        (
            VALID.replace("[overenskommelse]", "[overenskommelse]\nrecomendation = 1"),
            "unknown key(s) ['recomendation']",
        ),
        (
            VALID.replace('label = "Förslag"', 'label = "Förslag"\nlable = "x"'),
            "step 'forslag': unknown key(s) ['lable']",
        ),
        (VALID + "\n[avtal]\nparties_decide = true\n", "[avtal] is not a kind of agreement"),
        (VALID.replace("overenskommelse", "riktlinje"), "[overenskommelse] is required"),
        (VALID.replace('key = "klar"', 'key = "rek"'), "needs steps, each with a key of its own"),
        (
            VALID.replace('key = "forslag"\nlabel = "Förslag"', 'key = "forslag"'),
            "each step needs a 'key' and a 'label'",
        ),
        (VALID.replace('body = "Styrgruppen"', "body = 3"), "step 'rek': 'body' must be text"),
        (
            VALID.replace('next = ["rek"]', 'next = "rek"'),
            "step 'forslag': 'next' must be a list of step keys",
        ),
        (VALID.replace("parties_decide = true\n", ""), "'parties_decide' must be true or false"),
        (
            VALID.replace('label = "Klar"\nterminal = true', 'label = "Klar"\nterminal = "ja"'),
            "step 'klar': 'terminal' must be true or false",
        ),
        (
            VALID.replace(
                'label = "Klar"\nterminal = true', 'label = "Klar"\nterminal = true\nnext = ["rek"]'
            ),
            "step 'klar' must be terminal or have next steps, not both",
        ),
        (
            VALID.replace('label = "Avbruten"\nterminal = true', 'label = "Avbruten"'),
            "step 'avbruten' must be terminal or have next steps, not both",
        ),
        (
            VALID.replace('recommendation = "rek"', 'recommendation = "x"'),
            "'recommendation' must name one of its steps",
        ),
        (
            VALID.replace("parties_decide = true", "parties_decide = false"),
            "'recommendation' does not fit parties_decide = False",
        ),
        (
            VALID.replace('recommendation = "rek"', 'recommendation = "rek"\ndecision_step = "rek"'),
            "'decision_step' does not fit parties_decide = True",
        ),
        (
            VALID.replace('withdrawal = "avbruten"', 'withdrawal = "rek"'),
            "'withdrawal' must name a terminal step",
        ),
        (
            VALID.replace(
                'withdrawal = "avbruten"\n',
                'withdrawal = "avbruten"\nrecommendation_for = { region = "x" }\n',
            ),
            "'recommendation_for.region' must name one of its steps",
        ),
        (
            VALID.replace(
                'withdrawal = "avbruten"\n',
                'withdrawal = "avbruten"\nrecommendation_for = { namnd = "rek" }\n',
            ),
            "'recommendation_for' names unknown party kind(s) ['namnd']",
        ),
        (
            VALID.replace('withdrawal = "avbruten"\n', ""),
            "step(s) ['avbruten'] cannot be reached from the first step",
        ),
    ],
)
def test_a_broken_template_fails_at_load(text, error):
    with pytest.raises(TemplateError) as caught:
        parse_templates("test", text)
    assert error in str(caught.value)


def test_a_template_that_is_not_toml_fails_at_load():
    with pytest.raises(TemplateError, match=r"^test\.toml: ") as caught:
        parse_templates("test", VALID.replace('name = "Testlän"', 'name = "Testlän'))
    assert isinstance(caught.value.__cause__, tomllib.TOMLDecodeError)


def test_a_guideline_without_its_deciding_step_fails_at_load():
    guideline = VALID.replace('name = "Testlän"', "").replace("overenskommelse", "riktlinje")
    guideline = guideline.replace('parties_decide = true\nrecommendation = "rek"', "parties_decide = false")
    with pytest.raises(TemplateError, match="'decision_step' must name one of its steps"):
        parse_templates("test", VALID + guideline)


@pytest.mark.parametrize("slug", ["Stockholm", "västra-götaland", "", "1lan", "a b"])
def test_a_structure_slug_is_lower_case_ascii(slug):
    with pytest.raises(TemplateError, match="structure slug"):
        parse_templates(slug, VALID)
