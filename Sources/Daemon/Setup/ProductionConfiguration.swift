/// The configuration `dpbridge init` writes for a production server: Docplanner's real
/// API (no `base_url`), both listeners on loopback behind a local TLS proxy, callbacks only
/// from Docplanner's published addresses, the stores under /var/lib/dpbridge, and no
/// secret in the file (they are credential files beside it). Rendered with
/// `PublishedExamples.placeholder` for both values it is `etc/dpbridge.yaml`, the template
/// `make install` and the package put in /etc/dpbridge, which check-config refuses.
package enum ProductionConfiguration {
    /// The file's text for this marketplace domain and OAuth client id.
    package static func render(domain: String, clientID: String) -> String {
        """
        # dpbridge — production configuration, written by `dpbridge init`.
        #
        # Installed as a template that check-config refuses until `sudo dpbridge init` has
        # replaced the CHANGE-ME values and written the secrets. No secret is in this file:
        # they are the files in credentials/ beside it (directory 0700, files 0600), which
        # systemd hands to the daemon (LoadCredential=) and the dpbridge commands read when
        # run as root: callback_secret, admin_token, client_secret (callback_api_key and
        # partner_secret when used). `dpbridge init --rotate` makes new ones.
        #
        # Precedence, highest first: those credential files, environment variables
        # DPBRIDGE_<SECTION>_<KEY>, this file, built-in defaults. Every setting: README.md,
        # "Configuration"; etc/dpbridge-demo.yaml in the sources is a complete example.
        # Check it with:  dpbridge check-config

        listen:
          public:
            # Docplanner's callbacks and pings arrive through the TLS reverse proxy on this
            # host (nginx, caddy, haproxy), which terminates HTTPS for the callback URL and
            # forwards to here with X-Forwarded-For. Under socket activation dpbridge.socket
            # holds this address and port.
            address: 127.0.0.1
            port: 8080
          admin:
            # Status, metrics, the job routes and the partner's /v1 API, with the bearer
            # token in the credential admin_token. Keep it on loopback.
            address: 127.0.0.1
            port: 8081

        callback:
          # The callback URL is https://<public host>/callbacks/<credential callback_secret>.
          # Only the addresses Docplanner publishes may post to it (fetched from
          # https://www.<domain>/public/docs/public-ips.json at start and daily); the proxy
          # on this host names the real client in X-Forwarded-For.
          use_docplanner_ips: true
          allowlist: []
          trusted_proxies: [127.0.0.1/32, "::1/128"]

        docplanner:
          # The marketplace: znanylekarz.pl, doctoralia.es, doctoralia.com.br, miodottore.it, …
          domain: \(quoted(domain))
          # OAuth2 client id; the client secret is the credential client_secret.
          client_id: \(quoted(clientID))
          # push: Docplanner posts to the callback URL; pull: dpbridge polls; both.
          mode: push
          # The clinic calendar's IANA time zone (e.g. Europe/Warsaw); empty: the system's.
          time_zone: ""

        store:
          path: /var/lib/dpbridge/dpbridge.sqlite

        retention:
          # Patients' data (names, phones, e-mails in Docplanner's events) is kept no longer than
          # needed: done jobs and blocking decisions are deleted this many days after they
          # finished (hourly; keep at least 14, Docplanner's re-send window). Dead letters stay
          # until replayed or purged. Erase one patient on request: dpbridge erase.
          days: 30
          # Callback bodies that could not be parsed (dpbridge quarantine).
          quarantine_days: 7

        partner:
          # embedded: the clinic calendar is an SQLite database the clinic software uses;
          # http: events are posted, signed, to the partner's endpoint (https://).
          adapter: embedded
          embedded:
            path: /var/lib/dpbridge/partner.sqlite

        log:
          level: info
          format: auto

        """
    }

    /// The template: `render` with the placeholder for every value init asks for.
    package static var template: String {
        render(domain: PublishedExamples.placeholder, clientID: PublishedExamples.placeholder)
    }

    /// A YAML double-quoted scalar (JSON's escapes).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if character.value < 0x20 || character.value == 0x7F {
                    result +=
                        "\\u" + String(repeating: "0", count: 4 - String(character.value, radix: 16).count)
                        + String(character.value, radix: 16)
                } else {
                    result.unicodeScalars.append(character)
                }
            }
        }
        return result + "\""
    }
}
