internal import CCurl

/// libcurl's process-wide setup (`curl_global_init`), run once, before the first handle.
/// A global `let` is initialized lazily and exactly once, even when several threads race.
private let curlGlobalInitResult: UInt32 = curl_global_init(Int(CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32)).rawValue

/// Makes sure `curl_global_init` has run; cheap after the first call.
func ensureCurlGlobalInit() throws(CurlError) {
    guard curlGlobalInitResult == CURLE_OK.rawValue else {
        throw CurlError(code: curlGlobalInitResult, message: "curl_global_init failed", url: "")
    }
}
