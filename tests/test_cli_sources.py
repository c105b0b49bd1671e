"""`sourcecheck sources list | show | lookup` and the user registry flag (no model needed)."""

from __future__ import annotations

import json

from conftest import run_cli





def test_sources_list_curated_and_all():
    r = run_cli("sources", "list")
    assert r.exit_code == 0
    ids = [line.split()[0] for line in r.stdout.splitlines() if line.strip()]
    assert {"xinhua", "bbc"} <= set(ids) or any("xinhua" in i for i in ids)
    r_all = run_cli("sources", "list", "--all")
    assert r_all.exit_code == 0 and len(r_all.stdout.splitlines()) > len(r.stdout.splitlines()) + 1000


def test_sources_show_json_has_cited_notes():
    r = run_cli("sources", "show", "Xinhua", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    notes = d["notes"]
    assert notes and all(n.get("citation", {}).get("url") for n in notes)
    assert any("state" in json.dumps(n).lower() and "controlled" in json.dumps(n).lower() for n in notes)


def test_sources_show_text_and_unknown():
    r = run_cli("sources", "show", "RT DE")
    assert r.exit_code == 0 and "2022/350" in r.stdout
    r = run_cli("sources", "show", "No Such Outlet Anywhere")
    assert r.exit_code == 1 and r.stderr.startswith("sourcecheck: error:")


def test_sources_lookup_longest_suffix():
    r = run_cli("sources", "lookup", "de.rt.com")
    first = r.stdout.split()[0]
    r2 = run_cli("sources", "lookup", "www.rt.com")
    assert r.exit_code == 0 and r2.exit_code == 0
    assert first != r2.stdout.split()[0]
    r = run_cli("sources", "lookup", "nothing-here.invalid")
    assert r.exit_code == 1


def test_user_registry_flag(tmp_path):
    reg = tmp_path / "mine.yaml"
    reg.write_text(
        "sources:\n"
        "  - id: riverside-courier\n"
        "    name: The Riverside Courier\n"
        "    aliases: {en: [Riverside Courier]}\n"
        "    type: newspaper\n"
        "    country: XX\n"
        "    domains: [riverside-courier.example]\n"
        "    facts:\n"
        "      - claim: owner\n"
        "        value: Riverside Media Cooperative\n"
        "        citation: {title: Courier imprint, url: 'https://riverside-courier.example/imprint'}\n"
        "        as_of: '2026-11'\n", encoding="utf-8")
    r = run_cli("sources", "lookup", "riverside-courier.example", "--registry", str(reg))
    assert r.exit_code == 0, r.output + r.stderr
    assert r.stdout.startswith("riverside-courier")


def test_sources_lookup_cbc_and_rts_show_only_the_canadian_and_swiss_outlets():
    from sourcecheck.provenance import load_registry

    reg = load_registry()
    r = run_cli("sources", "lookup", "www.cbc.ca")
    assert r.exit_code == 0 and len(r.stdout.strip().splitlines()) == 1
    sid = r.stdout.split()[0]
    assert reg.get(sid)["country"] == "CA"
    r = run_cli("sources", "lookup", "https://www.rts.ch/info/")
    assert r.exit_code == 0 and r.stdout.split()[0] == "rts_ch"


def test_sources_show_marks_unverified_facts():
    r = run_cli("sources", "show", "Reuters")
    assert r.exit_code == 0 and "unverified: written 2024-12" in r.stdout
    assert "as of 2024-12" not in r.stdout


def test_a_short_name_two_outlets_share_lists_them_instead_of_choosing():
    r = run_cli("sources", "show", "CBC")
    assert r.exit_code == 1
    countries = {line.split()[1] for line in r.stdout.splitlines()[1:]}
    assert {"CA", "AZ"} <= countries


def test_unverified_facts_say_so_with_the_date_they_were_written():
    r = run_cli("sources", "show", "RT DE")
    assert r.exit_code == 0 and "unverified, written 2024-12" in r.stdout and "as of None" not in r.stdout


def test_the_url_of_a_saved_page_names_its_publisher():
    import json as _json

    from conftest import EXAMPLES, model_available
    if not model_available():
        return
    r = run_cli("score", str(EXAMPLES / "ferry.html"), "--url", "https://www.cbc.ca/news/ferry", "-f", "json")
    pubs = [s for s in _json.loads(r.stdout)["sources"] if s["role"] == "publisher"]
    assert r.exit_code == 0 and [p["name"] for p in pubs] == ["CBC"]
    assert run_cli("score", str(EXAMPLES / "ferry.html"), str(EXAMPLES / "ferry.txt"), "--url", "https://x.org").exit_code == 1
