"""A RIS Live client in the form of the RIS Live manual's Python example: websocket-client, one
ris_subscribe, then every message printed as "<type> <data as JSON>". Nothing in it knows about
bmpwatch; only the URL (and the host to subscribe to) differ from a client of RIPE's service.

Usage: python3 ris_live_example.py URL HOST
"""
import json
import sys

import websocket

ws = websocket.WebSocket()
ws.connect(sys.argv[1])
params = {"host": sys.argv[2], "socketOptions": {"includeRaw": True}}
ws.send(json.dumps({"type": "ris_subscribe", "data": params}))
for data in ws:
    parsed = json.loads(data)
    print(parsed["type"], json.dumps(parsed["data"]), flush=True)
