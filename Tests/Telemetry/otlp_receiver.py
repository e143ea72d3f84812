#!/usr/bin/env python3
"""An OTLP/HTTP trace receiver for the tests: Tests/Telemetry/otlp_receiver.py PORT-FILE [--forward-file FILE]

Listens on 127.0.0.1 (a free port, written to PORT-FILE once it listens), accepts
`POST /v1/traces` in protobuf, decodes each ExportTraceServiceRequest with PyPI's
opentelemetry-proto (a decoder nobody here wrote), and keeps every span. `GET /spans` answers them
as JSON, one object per span with its resource's service name and instance, ids in hex, kind,
times, status and attributes. Stops on SIGTERM or SIGINT.

With --forward-file, each export is also passed on, as received, to the URL FILE holds once it
exists (the cluster's console, `console-traces.url` in its state directory), as a collector with
two exporters would: the tests check the spans here and read them in the console too.
"""
import json, os, signal, sys, threading, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse

spans, lock = [], threading.Lock()
KINDS = {0: "unspecified", 1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    if kind in ("array_value", "kvlist_value"):
        return MessageToDict(any_value)
    return getattr(any_value, kind)


def attributes(pairs):
    return {pair.key: value(pair.value) for pair in pairs}


def decode(body):
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    decoded = []
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                decoded.append({
                    "service": resource.get("service.name"),
                    "instance": resource.get("service.instance.id"),
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": KINDS.get(span.kind, str(span.kind)),
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "status": {0: "unset", 1: "ok", 2: "error"}.get(span.status.code, str(span.status.code)),
                    "attributes": attributes(span.attributes),
                })
    return decoded


FORWARD_FILE = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--forward-file" else None


def forward(body):
    """Passes the export on to the URL the forward file names, if it names one yet."""
    if not FORWARD_FILE or not os.path.exists(FORWARD_FILE):
        return
    with open(FORWARD_FILE) as file:
        url = file.read().strip()
    if not url:
        return
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/x-protobuf"})
    try:
        urllib.request.urlopen(request, timeout=5).close()
    except OSError as error:  # the console stopping first, say: the spans here are what the tests check
        print(f"otlp_receiver: could not forward to {url}: {error}", file=sys.stderr)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces" or self.headers.get("Content-Type") != "application/x-protobuf":
            self.send_response(415 if self.path == "/v1/traces" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            received = decode(body)
        except Exception as error:  # an undecodable export is the exporter's bug: say so
            self.send_response(400)
            message = str(error).encode()
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        with lock:
            spans.extend(received)
        forward(body)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self):
        if self.path != "/spans":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with lock:
            answer = json.dumps(spans).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *arguments):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    signal.signal(signal.SIGINT, lambda *_: threading.Thread(target=server.shutdown).start())
    with open(sys.argv[1], "w") as port_file:
        port_file.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
