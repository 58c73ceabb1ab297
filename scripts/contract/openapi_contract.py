"""Checks recorded HTTP exchanges against Docplanner's OpenAPI 3.0 document.

The document (Tests/Contract/integrations-api.yml) is read once; every `$ref` is resolved
inside it and each schema is translated to JSON Schema draft 2020-12 for python3-jsonschema:

- `nullable: true` adds "null" to the type (and None to an `enum`);
- `example`, `examples`, `description`, `x-*` and other annotations are dropped;
- `format: date-time` is checked strictly (RFC 3339 / ISO 8601 with seconds and an offset or
  Z: `2021-05-16T14:00:00+01:00`), `format: date` as `YYYY-MM-DD`, both for real calendar
  values;
- unknown fields: in REQUEST bodies dpbridge sends, a property that the object's schema does
  not declare (the properties of every `allOf` branch count) is a violation, as a strict
  server would refuse it; an object schema that declares no properties at all is free-form.
  RESPONSES and callback bodies come from Docplanner (here the simulator): undeclared
  properties are allowed unless the schema forbids them (`additionalProperties: false`), as
  the document's own examples carry some; they are counted as notes, not violations.

An API exchange is matched to an operation by method and path template under the base path
`/api/v3/integration`; the OAuth token request is matched to the `clientCredentials` flow's
`tokenUrl`. A callback is matched by its `name` to the callbacks under the
`/{client-endpoint-url}` path. What is checked is listed in `check_api`, `check_token` and
`check_callback`. Messages never repeat values found under patient fields.
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
import re
import urllib.parse
from dataclasses import dataclass, field

import jsonschema
import yaml

BASE_PATH = "/api/v3/integration"
HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
ANNOTATIONS = {"example", "examples", "description", "title", "externalDocs", "xml", "deprecated",
               "discriminator", "readOnly", "writeOnly", "nullable", "default", "style", "explode"}
# Keys whose values are personal data: a message about them never shows the value.
PERSONAL_KEYS = {"patient", "name", "surname", "email", "phone", "nin", "birth_date", "insurance_number",
                 "comment", "gender"}

RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def is_date_time(value: object) -> bool:
    """RFC 3339 date-time: date, T, time with seconds, offset or Z; real calendar values."""
    if not isinstance(value, str):
        return True  # type is checked elsewhere
    match = RFC3339.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        datetime.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    if second > 60:
        return False
    if match.group(9) is not None and (int(match.group(9)) > 23 or int(match.group(10)) > 59):
        return False
    return True


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = DATE.match(value)
    if not match:
        return False
    try:
        datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return False
    return True


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time")(is_date_time)
FORMATS.checks("date")(is_date)


@dataclass
class Violation:
    """One way an exchange departs from the document."""
    where: str        # request, response, callback, callback-answer, parameters, route
    operation: str    # operationId, callback:<name>, oauthToken, or "?" when nothing matched
    status: object    # the response status, or None
    path: str         # JSON path in the body ($.slots[0].start), or the parameter / header
    message: str

    def line(self) -> str:
        status = "-" if self.status is None else str(self.status)
        return f"{self.operation} [{self.where}] status {status} at {self.path}: {self.message}"


@dataclass
class Outcome:
    """What checking one exchange found."""
    operation: str
    violations: list = field(default_factory=list)
    notes: list = field(default_factory=list)   # undeclared properties allowed in responses and callbacks
    skipped: str | None = None                  # why the exchange is not checked (pings, public-ips)


@dataclass
class Operation:
    method: str
    template: str
    operation_id: str
    regex: re.Pattern
    literal_segments: int
    parameters: list
    request_body: dict | None
    responses: dict


def json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


class Contract:
    """The OpenAPI document, ready to check exchanges against."""

    def __init__(self, document_path: str):
        with open(document_path, encoding="utf-8") as handle:
            self.document = yaml.safe_load(handle)
        self._validators: dict = {}
        self.operations: list[Operation] = []
        for template, item in self.document["paths"].items():
            shared = item.get("parameters", [])
            for method, operation in item.items():
                if method not in HTTP_METHODS or "callbacks" in operation:
                    continue
                pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template)) + "$"
                names = re.findall(r"\{([^/]+?)\}", template)
                parameters = self._merge_parameters(shared, operation.get("parameters", []))
                self.operations.append(Operation(
                    method=method.upper(), template=template, operation_id=operation.get("operationId", template),
                    regex=re.compile(pattern), literal_segments=template.count("/") - len(names),
                    parameters=[dict(p, _names=names) for p in parameters],
                    request_body=operation.get("requestBody"), responses=operation.get("responses", {})))
        self.callbacks: dict = {}
        for item in self.document["paths"].values():
            for operation in item.values():
                if not isinstance(operation, dict):
                    continue
                for callback in operation.get("callbacks", {}).values():
                    for expression, path_item in callback.items():
                        post = path_item.get("post", {})
                        self.callbacks[expression] = post
        flows = self.document["components"]["securitySchemes"]["oauth2"]["flows"]
        token_url = flows["clientCredentials"]["tokenUrl"]
        self.token_path = urllib.parse.urlsplit(token_url.replace("{domain}", "example.com")).path
        self.token_scopes = set(flows["clientCredentials"].get("scopes", {}))

    # MARK: - Schemas

    def resolve(self, reference: str) -> dict:
        if not reference.startswith("#/"):
            raise ValueError(f"only local references are supported: {reference}")
        node = self.document
        for part in reference[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _merge_parameters(self, shared: list, own: list) -> list:
        merged: dict = {}
        for parameter in list(shared) + list(own):
            if "$ref" in parameter:
                parameter = self.resolve(parameter["$ref"])
            merged[(parameter["name"], parameter["in"])] = parameter
        return list(merged.values())

    def translate(self, schema: dict) -> dict:
        """An OpenAPI 3.0 schema as JSON Schema 2020-12, references inlined (the document has
        no recursive ones)."""
        if "$ref" in schema:
            target = self.translate(self.resolve(schema["$ref"]))
            if schema.get("nullable"):
                return {"anyOf": [target, {"type": "null"}]}
            return target
        out: dict = {}
        for key, value in schema.items():
            if key in ANNOTATIONS or key.startswith("x-"):
                continue
            if key == "properties":
                out[key] = {name: self.translate(sub) for name, sub in value.items()}
            elif key in ("items", "not"):
                out[key] = self.translate(value)
            elif key == "additionalProperties":
                out[key] = self.translate(value) if isinstance(value, dict) else value
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self.translate(sub) for sub in value]
            else:
                out[key] = copy.deepcopy(value)
        if schema.get("nullable"):
            if "type" in out:
                out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else out["type"] + ["null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
            if "type" not in out and ("allOf" in out or "anyOf" in out or "oneOf" in out):
                out = {"anyOf": [out, {"type": "null"}]}
        return out

    def validator(self, schema: dict):
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            translated = self.translate(schema)
            translated["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            jsonschema.Draft202012Validator.check_schema(translated)
            self._validators[key] = jsonschema.Draft202012Validator(translated, format_checker=FORMATS)
        return self._validators[key]

    def schema_violations(self, schema: dict, instance, strict: bool, where: str, operation: str, status) -> list:
        """The schema's errors; with `strict`, each undeclared property is one more."""
        found = []
        for error in sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path)):
            parts = list(error.absolute_path)
            found.append(Violation(where, operation, status, json_path(parts), self.message(error, parts)))
        if strict:
            for path in self.undeclared(schema, instance):
                found.append(Violation(where, operation, status, path,
                                       "undeclared property (the schema does not declare it; a strict server refuses it)"))
        return found

    @staticmethod
    def message(error, parts) -> str:
        personal = any(isinstance(p, str) and p in PERSONAL_KEYS for p in parts)
        if isinstance(error.instance, (dict, list)) and error.validator != "required":
            # The message would repeat the whole object (a patient among it, perhaps).
            kind = "object" if isinstance(error.instance, dict) else "array"
            return f"a JSON {kind} fails '{error.validator}: {error.validator_value}'"
        if not personal:
            return error.message
        if error.validator == "type":
            return f"a JSON {type(error.instance).__name__} where the schema says type {error.validator_value} (value withheld)"
        return f"fails '{error.validator}: {error.validator_value}' (value withheld: personal data)"

    def declared_properties(self, schema: dict):
        """(properties, additionalProperties or None) of an object schema, allOf branches merged."""
        if "$ref" in schema:
            return self.declared_properties(self.resolve(schema["$ref"]))
        properties = dict(schema.get("properties", {}))
        additional = schema.get("additionalProperties")
        for branch in schema.get("allOf", []):
            more, extra = self.declared_properties(branch)
            properties.update(more)
            additional = extra if additional is None else additional
        return properties, additional

    def undeclared(self, schema: dict, instance, parts=()) -> list:
        """JSON paths of the properties in `instance` that `schema` does not declare. An
        object schema declaring no properties at all is free-form: nothing in it counts."""
        if "$ref" in schema:
            return self.undeclared(self.resolve(schema["$ref"]), instance, parts)
        found = []
        if isinstance(instance, dict):
            properties, additional = self.declared_properties(schema)
            for name, value in instance.items():
                if name in properties:
                    found += self.undeclared(properties[name], value, parts + (name,))
                elif isinstance(additional, dict):
                    found += self.undeclared(additional, value, parts + (name,))
                elif properties and additional is None:
                    found.append(json_path(parts + (name,)))
        elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
            for index, value in enumerate(instance):
                found += self.undeclared(schema["items"], value, parts + (index,))
        return found

    # MARK: - Matching

    def match(self, method: str, raw_path: str):
        """(operation, path parameters) for a request to the API, or (None, None)."""
        if not raw_path.startswith(BASE_PATH + "/"):
            return None, None
        relative = raw_path[len(BASE_PATH):]
        best = None
        for operation in self.operations:
            if operation.method != method.upper():
                continue
            found = operation.regex.match(relative)
            if not found:
                continue
            if best is None or operation.literal_segments > best[0].literal_segments:
                names = re.findall(r"\{([^/]+?)\}", operation.template)
                values = [urllib.parse.unquote(v) for v in found.groups()]
                best = (operation, dict(zip(names, values)))
        return best if best else (None, None)

    # MARK: - Checks

    def check_api(self, exchange: dict) -> Outcome:
        """A request dpbridge sent to the API and the answer it got: the route; path and query
        parameters (required, declared, typed: `with` scopes against their enums, dates
        strictly); the bearer token; the request body (content type, required or not,
        strictly against its schema); the status (one the operation declares); the response
        body for its content type (or none when none is declared); declared response headers
        that are present (e.g. Retry-After an integer)."""
        method, path = exchange["method"], exchange["path"]
        if path == self.token_path:
            return self.check_token(exchange)
        if path.startswith("/public/docs/public-ips."):
            return Outcome("publicIPs", skipped="Docplanner's public-ips list is not part of the OpenAPI document")
        operation, path_values = self.match(method, path)
        if operation is None:
            return Outcome("?", [Violation("route", "?", exchange.get("status"), f"{method} {path}",
                                           "no operation of the document has this method and path")])
        name = operation.operation_id
        outcome = Outcome(name)
        violations = outcome.violations
        status = exchange.get("status")
        violations += self.parameter_violations(operation, path_values, exchange.get("query") or "", status)
        headers = {k.lower(): v for k, v in (exchange.get("request_headers") or {}).items()}
        if not headers.get("authorization", "").startswith("Bearer "):
            violations.append(Violation("request", name, status, "Authorization",
                                        "no bearer token (the document's oauth2 security applies to every operation)"))
        violations += self.request_body_violations(operation, exchange, headers, status)
        if exchange.get("error"):
            violations.append(Violation("response", name, None, "-", f"no answer: {exchange['error']}"))
            return outcome
        response = operation.responses.get(str(status)) or operation.responses.get("default")
        if response is None:
            violations.append(Violation("response", name, status, "status",
                                        f"status {status} is not declared (declared: {', '.join(sorted(operation.responses))})"))
            return outcome
        self.response_checks(name, response, exchange, outcome)
        return outcome

    def parameter_violations(self, operation: Operation, path_values: dict, query: str, status) -> list:
        name = operation.operation_id
        found = []
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        declared_query = {p["name"]: p for p in operation.parameters if p["in"] == "query"}
        for key, _ in pairs:
            if key not in declared_query:
                found.append(Violation("parameters", name, status, f"query {key}",
                                       "query parameter not declared by the operation"))
        for parameter in operation.parameters:
            where, pname = parameter["in"], parameter["name"]
            schema = parameter.get("schema", {})
            if where == "path":
                values = [path_values.get(pname)] if pname in path_values else []
            elif where == "query":
                values = [v for k, v in pairs if k == pname]
            else:
                continue
            if not values:
                if parameter.get("required"):
                    found.append(Violation("parameters", name, status, f"{where} {pname}", "required parameter missing"))
                continue
            resolved = self.resolve(schema["$ref"]) if "$ref" in schema else schema
            if resolved.get("type") == "array":
                style = parameter.get("style", "simple" if where == "path" else "form")
                simple = style == "simple" or parameter.get("explode") is False
                items = [part for v in values for part in (v.split(",") if simple else [v])]
                typed = [self.parameter_value(resolved.get("items", {}), item) for item in items]
                instance = typed
            elif len(values) > 1:
                found.append(Violation("parameters", name, status, f"{where} {pname}", "given more than once"))
                continue
            else:
                instance = self.parameter_value(resolved, values[0])
            for violation in self.schema_violations(schema, instance, False, "parameters", name, status):
                violation.path = f"{where} {pname}" + ("" if violation.path == "$" else violation.path[1:])
                found.append(violation)
        return found

    def parameter_value(self, schema: dict, text: str):
        """A parameter's text as the JSON value its schema's type calls for (unchanged when it
        does not parse, so that the type check reports it)."""
        schema = self.resolve(schema["$ref"]) if "$ref" in schema else schema
        kind = schema.get("type")
        if kind == "integer" and re.fullmatch(r"-?\d+", text):
            return int(text)
        if kind == "number":
            try:
                return float(text)
            except ValueError:
                return text
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        return text

    def request_body_violations(self, operation: Operation, exchange: dict, headers: dict, status) -> list:
        name = operation.operation_id
        body_text = exchange.get("request_body") or ""
        declared = operation.request_body
        if declared and "$ref" in declared:
            declared = self.resolve(declared["$ref"])
        if not body_text:
            if declared and declared.get("required"):
                return [Violation("request", name, status, "body", "the operation requires a request body; none was sent")]
            return []
        if not declared:
            return [Violation("request", name, status, "body", "a body was sent; the operation declares none")]
        content = declared.get("content", {})
        kind = media_type(headers.get("content-type"))
        if kind not in content:
            return [Violation("request", name, status, "Content-Type",
                              f"'{kind or 'none'}' is not a declared request media type ({', '.join(content)})")]
        try:
            body = json.loads(body_text)
        except ValueError as error:
            return [Violation("request", name, status, "body", f"not JSON: {error}")]
        return self.schema_violations(content[kind]["schema"], body, True, "request", name, status)

    def response_checks(self, name: str, response: dict, exchange: dict, outcome: Outcome) -> None:
        status = exchange.get("status")
        if "$ref" in response:
            response = self.resolve(response["$ref"])
        headers = {k.lower(): v for k, v in (exchange.get("response_headers") or {}).items()}
        for header, spec in (response.get("headers") or {}).items():
            spec = self.resolve(spec["$ref"]) if "$ref" in spec else spec
            value = headers.get(header.lower())
            if value is None:
                continue
            instance = self.parameter_value(spec.get("schema", {}), value.strip())
            for violation in self.schema_violations(spec.get("schema", {}), instance, False, "response", name, status):
                violation.path = f"header {header}"
                outcome.violations.append(violation)
        content = response.get("content") or {}
        body_text = exchange.get("response_body") or ""
        if not content:
            if body_text.strip():
                outcome.violations.append(Violation("response", name, status, "body",
                                                    "a body was sent; this response declares none"))
            return
        kind = media_type(headers.get("content-type"))
        declared = {media_type(k): v for k, v in content.items()}
        if kind not in declared:
            outcome.violations.append(Violation("response", name, status, "Content-Type",
                                                f"'{kind or 'none'}' is not declared for this status ({', '.join(content)})"))
            return
        try:
            body = json.loads(body_text)
        except ValueError as error:
            outcome.violations.append(Violation("response", name, status, "body", f"not JSON: {error}"))
            return
        schema = declared[kind].get("schema", {})
        outcome.violations += self.schema_violations(schema, body, False, "response", name, status)
        outcome.notes += [f"{name} {status} {p}" for p in self.undeclared(schema, body)]

    def check_token(self, exchange: dict) -> Outcome:
        """The OAuth2 client-credentials token request (RFC 6749 §4.4, the document's
        securitySchemes.oauth2): POST, form-encoded, grant_type=client_credentials, a scope
        the flow declares, client authentication (HTTP Basic or client_id/client_secret);
        the answer 200 with access_token, token_type and an integer expires_in."""
        name = "oauthToken"
        outcome = Outcome(name)
        status = exchange.get("status")
        add = outcome.violations.append
        if exchange["method"] != "POST":
            add(Violation("request", name, status, "method", "the token endpoint takes POST"))
        headers = {k.lower(): v for k, v in (exchange.get("request_headers") or {}).items()}
        if media_type(headers.get("content-type")) != "application/x-www-form-urlencoded":
            add(Violation("request", name, status, "Content-Type", "the token request must be form-encoded"))
        form = dict(urllib.parse.parse_qsl(exchange.get("request_body") or "", keep_blank_values=True))
        if form.get("grant_type") != "client_credentials":
            add(Violation("request", name, status, "grant_type", "must be client_credentials"))
        scopes = set(form.get("scope", "").split())
        if scopes - self.token_scopes:
            add(Violation("request", name, status, "scope", f"{sorted(scopes - self.token_scopes)} not declared by the flow"))
        basic = headers.get("authorization", "").startswith("Basic ")
        if not basic and not ("client_id" in form and "client_secret" in form):
            add(Violation("request", name, status, "Authorization", "no client authentication"))
        if status != 200:
            add(Violation("response", name, status, "status", "the token request was not answered 200"))
            return outcome
        schema = {"type": "object", "required": ["access_token", "token_type"],
                  "properties": {"access_token": {"type": "string", "minLength": 1}, "token_type": {"type": "string"},
                                 "expires_in": {"type": "integer"}, "scope": {"type": "string", "nullable": True}}}
        try:
            body = json.loads(exchange.get("response_body") or "")
        except ValueError as error:
            add(Violation("response", name, status, "body", f"not JSON: {error}"))
            return outcome
        outcome.violations += self.schema_violations(schema, body, False, "response", name, status)
        if isinstance(body, dict) and str(body.get("token_type", "")).lower() != "bearer":
            add(Violation("response", name, status, "$.token_type", "a bearer token is what the API takes"))
        return outcome

    def check_callback(self, exchange: dict) -> Outcome:
        """What the simulator (as Docplanner) pushed to dpbridge's callback URL: a POST whose
        JSON body's `name` is a callback of the document, valid (undeclared properties allowed)
        against that callback's request schema; and dpbridge's answer: a status the callback
        declares (for the blocking slot-booking/booking-moving, a denial is one of the listed
        ones, 400 or 500, although Docplanner treats any non-2xx as one). Pings (GET/HEAD, or a POST without
        an event) are not described by the document and are only counted."""
        method = exchange["method"]
        body_text = exchange.get("request_body") or ""
        status = exchange.get("status")
        try:
            body = json.loads(body_text) if body_text else None
        except ValueError:
            body = None
        if method in ("GET", "HEAD") or (method == "POST" and not (isinstance(body, dict) and body.get("name"))):
            if method == "POST" and body_text and body is None:
                return Outcome("callback:?", [Violation("callback", "callback:?", status, "body", "not JSON")])
            return Outcome("ping", skipped="Docplanner's ping is not described by the document")
        event = body.get("name")
        name = f"callback:{event}"
        outcome = Outcome(name)
        post = self.callbacks.get(event)
        if method != "POST":
            outcome.violations.append(Violation("callback", name, status, "method", "callbacks are POSTed"))
        if post is None:
            outcome.violations.append(Violation("callback", name, status, "$.name",
                                                f"'{event}' is not a callback of the document"))
            return outcome
        content = post.get("requestBody", {}).get("content", {})
        headers = {k.lower(): v for k, v in (exchange.get("request_headers") or {}).items()}
        kind = media_type(headers.get("content-type"))
        if kind not in content:
            outcome.violations.append(Violation("callback", name, status, "Content-Type",
                                                f"'{kind or 'none'}' is not declared ({', '.join(content)})"))
            return outcome
        schema = content[kind]["schema"]
        outcome.violations += self.schema_violations(schema, body, False, "callback", name, status)
        outcome.notes += [f"{name} {p}" for p in self.undeclared(schema, body)]
        if exchange.get("error"):
            outcome.violations.append(Violation("callback-answer", name, None, "-", f"no answer: {exchange['error']}"))
        elif str(status) not in post.get("responses", {}):
            # Also for the blocking questions: any non-2xx denies, but the document lists
            # its denial answers (400, 500), and a strict reading sends one of those.
            outcome.violations.append(Violation(
                "callback-answer", name, status, "status",
                f"dpbridge answered {status}; the callback declares {', '.join(sorted(post.get('responses', {})))}"))
        return outcome


def decode_body(raw: bytes) -> str:
    """A body as text for the recording (base64 with a prefix when it is not UTF-8)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(raw).decode("ascii")
