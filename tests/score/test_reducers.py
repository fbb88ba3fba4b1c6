"""Page reducers fold saved page artifacts into the site artifacts the site checks read."""

from __future__ import annotations

from auditor.model import (
    FlemishArtifacts, FlemishObservations, LinkRecord, MarkerHit, PageArtifacts, PageStatus, Site, SiteArtifacts,
)
from auditor.score.reducers import Reduction

URL = "https://www.voorbeeldegem.be/"
PROSE = " ".join(["De gemeente helpt u graag verder met uw aanvraag voor een nieuwe identiteitskaart."] * 12)


def _page(url: str, **fields) -> PageArtifacts:
    return PageArtifacts(url=url, final_url=url, status=PageStatus.OK, lang="nl", **fields)


def test_summaries_roles_and_readability_are_folded_in_page_order():
    site = SiteArtifacts(site=Site(start_urls=[URL]))
    reduction = Reduction(site)
    reduction.add_page(_page(URL, text=PROSE, title="Home"))
    reduction.add_page(_page(URL + "privacy", roles=["privacy"], text="Wij verwerken uw gegevens."))
    reduction.add_page(PageArtifacts(url=URL + "kapot", status=PageStatus.HTTP_ERROR, http_status=404))
    assert [p.url for p in site.pages] == [URL, URL + "privacy", URL + "kapot"]
    assert site.pages[0].readability is not None and site.pages[2].readability is None
    assert site.role_pages == {"privacy": URL + "privacy"}
    assert site.role_texts["privacy"] == "Wij verwerken uw gegevens."
    reduction.reset()
    assert site.pages == [] and site.role_pages == {} and site.flemish_pages == []


def test_flemish_hits_are_matched_from_observations_with_the_current_markers():
    observed = FlemishObservations(selectors={".vlw__header": [1, '<div class="vlw__header">']},
                                   globals={"vl.widget.client": "object"}, fonts=["Flanders Art Sans"],
                                   scripts=[])
    page = _page(URL, html='<html><body><header id="header__container"></header></body></html>',
                 links=[LinkRecord(url="https://www.burgerprofiel.be/", text="Mijn Burgerprofiel")],
                 flemish=FlemishArtifacts(page_url=URL, observed=observed))
    site = SiteArtifacts(site=Site(start_urls=[URL]))
    Reduction(site).add_page(page)
    [evidence] = site.flemish_pages
    ids = {hit.marker_id for hit in evidence.hits}
    assert "mbp-v4-header-mounted" in ids  # seen in the browser
    assert "mbp-v5-header-container" in ids  # not evaluated in the browser: matched on the saved DOM
    assert evidence.observed is None and evidence.markers_version


def test_an_older_run_without_observations_keeps_its_matches():
    hit = MarkerHit(marker_id="old-marker", kind="dom_selector", proves="mbp-header-mounted",
                    confidence="high", where="DOM after render", value="x", source="s")
    page = _page(URL, flemish=FlemishArtifacts(page_url=URL, hits=[hit], markers_version="2025.1"))
    site = SiteArtifacts(site=Site(start_urls=[URL]))
    Reduction(site).add_page(page)
    assert [h.marker_id for h in site.flemish_pages[0].hits] == ["old-marker"]
    assert site.flemish_pages[0].markers_version == "2025.1"
