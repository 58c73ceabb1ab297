internal import CCurl

/// A `curl_slist` (the list libcurl takes for request headers), freed in `deinit`.
final class CurlSList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) {
        for line in lines {
            // curl_slist_append copies the string.
            guard let appended = curl_slist_append(pointer, line) else { continue }
            pointer = appended
        }
    }

    deinit { curl_slist_free_all(pointer) }
}
