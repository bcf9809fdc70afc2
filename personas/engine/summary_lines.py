"""Engine defaults shared by the sales and mediation dispatchers for recaps."""

# An accurate recap made before the essential needs are found: what is missing, not « that is wrong ».
SUMMARY_INCOMPLETE_DEFAULT = [
    "C'est juste, mais ce n'est pas tout : il y a d'autres points dont nous n'avons pas parlé.",
    "Oui, c'est exact. Mais il manque encore des éléments, à mon avis.",
    "Jusque-là, d'accord. Mais on n'a pas encore fait le tour.",
]
