"""The few words printed around the fields, in every form language."""

from __future__ import annotations

_S: dict[str, tuple[str, str, str, str]] = {
    # key: (en, fr, es, pt)
    "page": (
        "Page {n} of {total}",
        "Page {n} sur {total}",
        "Página {n} de {total}",
        "Página {n} de {total}",
    ),
    "printed": ("Printed {date}", "Imprimé le {date}", "Impreso el {date}", "Impresso em {date}"),
    "version": ("version {v}", "version {v}", "versión {v}", "versão {v}"),
    "language": ("English", "Français", "Español", "Português"),
    "record": ("Record", "Fiche", "Registro", "Registo"),
    "blank": ("Blank form", "Formulaire vierge", "Formulario en blanco", "Formulário em branco"),
    "type_in": (
        "To type in: scan the code or enter the record ID in CA Desktop.",
        "Pour la saisie : scannez le code ou tapez l'identifiant dans CA Desktop.",
        "Para digitar: escanee el código o escriba el identificador en CA Desktop.",
        "Para digitar: leia o código ou escreva o identificador no CA Desktop.",
    ),
    "only_if": (
        "Only if {field}: {values}",
        "Seulement si {field} : {values}",
        "Solo si {field}: {values}",
        "Apenas se {field}: {values}",
    ),
    "only_if_expr": (
        "Only if {condition}",
        "Seulement si {condition}",
        "Solo si {condition}",
        "Apenas se {condition}",
    ),
    "choices_if": (
        "Only the choices where {condition}",
        "Seulement les choix où {condition}",
        "Solo las opciones donde {condition}",
        "Apenas as opções em que {condition}",
    ),
    "filled": ("is filled in", "est renseigné", "está completado", "está preenchido"),
    "or": (" or ", " ou ", " o ", " ou "),
    "tick_one": ("Tick one.", "Cochez une case.", "Marque una opción.", "Assinale uma opção."),
    "tick_all": (
        "Tick all that apply.",
        "Cochez toutes les cases utiles.",
        "Marque todas las que correspondan.",
        "Assinale todas as que se aplicam.",
    ),
    "yes": ("Yes", "Oui", "Sí", "Sim"),
    "no": ("No", "Non", "No", "Não"),
    "date_hint": ("DD / MM / YYYY", "JJ / MM / AAAA", "DD / MM / AAAA", "DD / MM / AAAA"),
    # One letter per handwritten digit of a time or a date and time (`typed_blocks.py`).
    "time_cells": ("HH:MM", "HH:MM", "HH:MM", "HH:MM"),
    "datetime_cells": (
        "DD/MM/YYYY HH:MM",
        "JJ/MM/AAAA HH:MM",
        "DD/MM/AAAA HH:MM",
        "DD/MM/AAAA HH:MM",
    ),  # fmt: skip
    "latitude": ("Latitude", "Latitude", "Latitud", "Latitude"),
    "longitude": ("Longitude", "Longitude", "Longitud", "Longitude"),
    "geo_hint": (
        "decimal degrees, e.g. 0.347596 / 32.582520",
        "degrés décimaux, p. ex. 0,347596 / 32,582520",
        "grados decimales, p. ej. 0,347596 / 32,582520",
        "graus decimais, p. ex. 0,347596 / 32,582520",
    ),
    "photo_hint": (
        "Photo: attached in CA Desktop — write the photo's number or file name",
        "Photo : jointe dans CA Desktop — notez le numéro ou le nom du fichier",
        "Foto: se adjunta en CA Desktop — anote el número o el nombre del archivo",
        "Fotografia: anexada no CA Desktop — anote o número ou o nome do ficheiro",
    ),
    "youth": ("Youth 15–24", "Jeunes 15–24", "Jóvenes 15–24", "Jovens 15–24"),
    "other_ages": ("Other ages", "Autres âges", "Otras edades", "Outras idades"),
    "total": ("Total", "Total", "Total", "Total"),
    "female": ("Women and girls", "Femmes et filles", "Mujeres y niñas", "Mulheres e raparigas"),
    "male": ("Men and boys", "Hommes et garçons", "Hombres y niños", "Homens e rapazes"),
    "not_recorded": (
        "Sex not recorded",
        "Sexe non renseigné",
        "Sexo no registrado",
        "Sexo não registado",
    ),
    "cut_here": (
        "Cut here and give this slip to the person",
        "Découpez ici et remettez ce coupon à la personne",
        "Corte aquí y entregue este talón a la persona",
        "Corte aqui e entregue este talão à pessoa",
    ),
    "receipt_number": ("Receipt number", "N° de récépissé", "N.º de recibo", "N.º do recibo"),
    "date_received": (
        "Date received",
        "Date de réception",
        "Fecha de recepción",
        "Data de receção",
    ),
    "keep_slip": (
        "Keep this slip. Give this number when you ask about your concern.",
        "Gardez ce coupon. Donnez ce numéro pour toute question sur votre préoccupation.",
        "Guarde este talón. Indique este número cuando pregunte por su inquietud.",
        "Guarde este talão. Indique este número quando perguntar pela sua preocupação.",
    ),
    "page_totals": ("Page totals", "Totaux de la page", "Totales de la página", "Totais da página"),
    "no_col": ("No.", "N°", "N.º", "N.º"),
    "required": ("* required", "* obligatoire", "* obligatorio", "* obrigatório"),
    "continued": (
        "{title} (continued)",
        "{title} (suite)",
        "{title} (continuación)",
        "{title} (continuação)",
    ),
}
_INDEX = {"en": 0, "fr": 1, "es": 2, "pt": 3}


def tr(key: str, lang: str, **kw: object) -> str:
    text = _S[key][_INDEX.get(lang, 0)]
    return text.format(**kw) if kw else text
