"""Check a conversation set file against CONVERSATION_LABELS.md. Usage: python3 validate.py FILE"""
import json, sys
SUB = {"ouverte": "open", "precise": "closed", "fermee": "closed", "alternative": "closed", "suggestive": "closed"}
errors = 0
def err(msg):
    global errors; errors += 1; print("ERROR", msg)
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not line.strip(): continue
    try: c = json.loads(line)
    except Exception as e: err(f"line {n}: not JSON: {e}"); continue
    ids = {s["id"] for s in c.get("speakers", [])}
    cand = [t for t in c.get("turns", []) if t.get("speaker") == "candidate"]
    if len(cand) < 15: err(f"{c.get('id')}: only {len(cand)} candidate turns")
    for i, t in enumerate(c.get("turns", [])):
        where = f"{c.get('id')} turn {i}"
        if t.get("speaker") != "candidate":
            if t.get("speaker") not in ids: err(f"{where}: unknown speaker {t.get('speaker')}")
            continue
        g = t.get("gold")
        if not isinstance(g, dict): err(f"{where}: no gold"); continue
        for k in ("is_question","question_type","question_subtype","is_reformulation","reformulation_accuracy","is_summary","assertiveness","amounts","addressee"):
            if k not in g: err(f"{where}: gold lacks {k}")
        st, qt = g.get("question_subtype"), g.get("question_type")
        if g.get("is_question"):
            if st not in SUB or SUB[st] != qt: err(f"{where}: subtype {st} / type {qt} mismatch")
        else:
            if qt is not None or st not in (None, "rhetorique"): err(f"{where}: not a question but type {qt} subtype {st}")
        if bool(g.get("is_reformulation")) != (g.get("reformulation_accuracy") is not None): err(f"{where}: accuracy iff reformulation")
        if g.get("assertiveness") not in ("assertive","aggressive","passive","neutral"): err(f"{where}: assertiveness")
        for a in g.get("amounts", []):
            if a.get("role") not in ("own_offer","partner_figure","other") or a.get("unit") not in ("EUR","%") or not isinstance(a.get("value"), (int,float)): err(f"{where}: bad amount {a}")
        if not isinstance(g.get("addressee"), list) or any(x not in ids for x in g.get("addressee", [])): err(f"{where}: bad addressee {g.get('addressee')}")
print(f"{errors} error(s)")
sys.exit(1 if errors else 0)
