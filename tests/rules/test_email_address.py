import pytest

from rules.email_address import email_key, normalize_email


def test_the_domain_is_normalised_and_the_local_part_kept():
    assert normalize_email("Jeanne.Martin@EXAMPLE.org") == "Jeanne.Martin@example.org"
    assert email_key(" Jeanne.Martin@example.org ") == "jeanne.martin@example.org"


def test_an_international_domain_is_written_in_ascii():
    assert normalize_email("contact@aquitaine-é.example.org") == "contact@xn--aquitaine--k7a.example.org"


@pytest.mark.parametrize("raw", ["jeanne", "jeanne@", "@example.org", "jé@example.org", "a@b",
                                 "x" * 250 + "@example.org", None])
def test_addresses_that_do_not_fit_every_header_are_refused(raw):
    assert normalize_email(raw) is None
