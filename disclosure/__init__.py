"""依申请公开 — citizens' and organisations' requests for government information under
《中华人民共和国政府信息公开条例》 (2019): receipt, 补正, third-party consultation, the statutory
deadlines on interaction's working-day calendar, the reviewed 告知书 and the annual figures.

Layer: between interaction and monitoring. It imports columns, publishing and interaction;
monitoring and portal may import it, never the other way round.
"""
