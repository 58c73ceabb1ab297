import Store

/// `dpbridge quarantine …`: the callback bodies that could not be parsed.
extension OperatorActions {
    /// The newest `limit` bodies (1…10000, nil: 50), without their content.
    func quarantineList(limit: Int?) throws(OperatorError) -> QuarantineList {
        let limit = limit ?? JobQuery.defaultLimit
        guard (1...10_000).contains(limit) else {
            throw .badArguments("--limit must be between 1 and 10000 (not \(limit))")
        }
        let total = try storeCall { () throws(StoreError) in try store.quarantine.count() }
        let entries = try storeCall { () throws(StoreError) in try store.quarantine.list(limit: limit) }
        return QuarantineList(
            daemon: daemon, tenant: tenant, total: total, entries: entries.map(QuarantineSummary.init))
    }

    func quarantineShow(id: Int64, revealPatient: Bool = false) throws(OperatorError) -> QuarantineDetail {
        guard let entry = try storeCall({ () throws(StoreError) in try store.quarantine.entry(id: id) }) else {
            throw .unknownQuarantined(id: id)
        }
        return QuarantineDetail(entry, daemon: daemon, tenant: tenant, revealPatient: revealPatient)
    }

    /// Deletes the bodies selected: with ids, all of them or (one unknown) none.
    func quarantinePurge(_ selection: QuarantineSelection) throws(OperatorError) -> QuarantinePurgeReport {
        try selection.check()
        var ids: [Int64] = []
        if selection.all {
            ids = try storeCall { () throws(StoreError) in try store.quarantine.purgeAll() }
        } else {
            for id in selection.ids where !ids.contains(id) { ids.append(id) }
            do {
                try store.quarantine.purge(ids: ids)
            } catch .noSuchQuarantined(let id) {
                throw .unknownQuarantined(id: id)
            } catch {
                throw .store(error.description)
            }
        }
        return QuarantinePurgeReport(daemon: daemon, tenant: tenant, count: ids.count, ids: ids)
    }
}
