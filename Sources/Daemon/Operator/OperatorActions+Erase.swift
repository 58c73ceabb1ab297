import Partner
import Store

/// `dpbridge erase`: one patient's data, on request (GDPR art. 17).
extension OperatorActions {
    /// Finds the patient in the store and the calendar and, when `request.apply` is set,
    /// erases them: the store first, then the calendar (a calendar that fails afterwards
    /// leaves the store erased; run the command again).
    func erase(_ request: ErasureRequest) throws(OperatorError) -> ErasureReport {
        let matcher = try request.matcher()
        let found = try storeCall { () throws(StoreError) in try store.erasePatient(matcher, apply: request.apply) }
        var bookings = 0
        if let calendar {
            do {
                bookings = try calendar.erasePatient(where: { matcher.occurs(in: $0) }, apply: request.apply)
            } catch {
                throw .calendar("\(calendarPath ?? "the calendar"): \(error)")
            }
        }
        return ErasureReport(
            daemon: daemon, tenant: tenant, erased: request.apply, inboxJobs: found.inboxJobs,
            outboxJobs: found.outboxJobs,
            quarantined: found.quarantined, inFlight: found.inFlight, bookings: bookings,
            calendar: calendar == nil ? nil : calendarPath)
    }
}
