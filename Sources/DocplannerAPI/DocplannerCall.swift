/// One HTTP request the client sent to Docplanner, as its observer sees it (for metrics).
/// Each attempt counts: a call answered 401 and sent again with a new token is two.
package struct DocplannerCall: Sendable, Equatable {
    /// The OpenAPI `operationId` (`bookSlot`, `replaceSlots`); `pullNotification`,
    /// `pullNotifications` and `releaseNotifications` for the notification endpoints, and
    /// `oauthToken` for the token endpoint.
    package var operation: String
    /// The HTTP status of the answer; nil when none arrived (a transport failure).
    package var status: Int?
    /// From sending the request to the end of the answer; the wait for a rate-limit permit
    /// is not included.
    package var duration: Duration

    package init(operation: String, status: Int?, duration: Duration) {
        self.operation = operation
        self.status = status
        self.duration = duration
    }
}

/// Called on the calling worker thread after each request to Docplanner; must be quick.
package typealias DocplannerCallObserver = @Sendable (DocplannerCall) -> Void
