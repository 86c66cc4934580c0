"""A small HTTP name server: GET /?lastname=Hopper answers Grace.

Python 3 version of the lab's starter (the lab's is Python 2). Run it with
    python3 nameserver.py
and try it with
    curl 'http://localhost:8000/?lastname=Hopper'
"""
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse, parse_qs

names = {
    "Babbage": "Charles",
    "Berners-Lee": "Tim",
    "Boole": "George",
    "Cerf": "Vint",
    "Dijkstra": "Edsger",
    "Hopper": "Grace",
    "Knuth": "Donald",
    "von Neumann": "John",
    "Russel": "Betrand",
    "Shannon": "Claude",
    "Turing": "Alan",
}


class NameServer(BaseHTTPRequestHandler):
    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        lastname = query["lastname"][0]
        answer = names[lastname]
        self.send_response(200)
        self.end_headers()
        self.wfile.write(answer.encode())


if __name__ == "__main__":
    server = HTTPServer(("", 8000), NameServer)
    print("Serving on port 8000")
    server.serve_forever()
