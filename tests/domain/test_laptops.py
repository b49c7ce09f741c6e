from ca_desktop.domain.laptops import laptop_label, short_name


def test_a_laptop_is_its_person_and_short_fingerprint() -> None:
    assert laptop_label("Amina Kato", "4F2A-91C0-1234-5678-9ABC") == "Amina K. · 4F2A-91C0"
    assert laptop_label("Grace", "CBD9-7044-45E5-A3AF-6065") == "Grace · CBD9-7044"
    assert laptop_label("", "CBD9-7044-45E5-A3AF-6065") == "? · CBD9-7044"


def test_short_names() -> None:
    assert short_name("Maria da Silva Santos") == "Maria S."
    assert short_name("  Amina  ") == "Amina"
