from localcx.text.sentiment_core import Evidence
def evidence(text: str) -> Evidence:
    return Evidence()
