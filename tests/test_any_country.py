"""Every country in the data can be the focus or a custom peer: the pickers list them all,
searchable by name and ISO3, and a link naming any of them is read."""

from indicators.view.state import link_codes, read_view
from indicators.web.layout import shell


def find(component, ident):
    if getattr(component, "id", None) == ident:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found = find(child, ident)
            if found is not None:
                return found
    return None


def test_pickers_list_every_country_with_data_by_name_and_code(bundle):
    codes = link_codes(bundle)
    assert len(codes) > 180  # the publishers' releases, not only the peer groups
    page = shell(bundle)
    for ident in ("focus-country", "custom-peers"):
        options = find(page, ident).options
        assert {o["value"] for o in options} == set(codes)
        germany = next(o for o in options if o["value"] == "DEU")
        assert germany["label"] == "Germany (DEU)"  # the search matches name and code
    assert not set(bundle.countries.aggregates) & {o["value"] for o in options}


def test_a_link_may_name_any_country(bundle):
    state = read_view(bundle, "economy", "?focus=CHL&peers=NZL,URY").state
    assert (state.focus, state.group, state.peers) == ("CHL", "custom", ("NZL", "URY"))
