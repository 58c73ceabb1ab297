#ifndef DPBRIDGE_CCURLSHIM_H
#define DPBRIDGE_CCURLSHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
   These wrappers fix the argument type of each kind of option. */

CURLcode dpb_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode dpb_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode dpb_curl_setopt_ptr(CURL *handle, CURLoption option, const void *value);
CURLcode dpb_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode dpb_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode dpb_curl_setopt_write_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode dpb_curl_setopt_header_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode dpb_curl_setopt_read_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));

CURLcode dpb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode dpb_curl_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode dpb_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode dpb_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

#endif
