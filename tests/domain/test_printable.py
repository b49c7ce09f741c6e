from ca_desktop.domain.printable import printable


def test_terminal_escapes_and_controls_become_visible() -> None:
    assert printable("Amina\x1b[2J\x1b]0;x\x07") == "Amina␛[2J␛]0;x␇"
    assert printable("a\x00b\x7fc\x9bd") == "a␀b␡c<U+009B>d"


def test_bidirectional_overrides_are_named() -> None:
    shown = printable("photo\u202egpj.exe \u2066x\u2069 \u200f")
    assert shown == "photo<U+202E>gpj.exe <U+2066>x<U+2069> <U+200F>"


def test_line_breaks_are_visible_unless_kept() -> None:
    assert printable("one\ntwo\r") == "one␊two␍"
    assert printable("one\ntwo", keep_newlines=True) == "one\ntwo"
    assert printable("x\u2028y") == "x<U+2028>y"


def test_ordinary_text_is_unchanged() -> None:
    text = "Amina Kato · São Tomé — Ağrı 北京 <b>bold</b> & ✓"
    assert printable(text) == text
