import DocplannerAPI
import Foundation

/// What a doctor changes in Docplanner's calendar and profile (admin API): breaks,
/// address services, and an address's commercial type, each published as its event.
extension SimulatorCore {
    /// Adds, moves or removes a calendar break.
    func changeBreak(
        action: String, addressID: String?, breakID: String?, since: Date?, till: Date?, description: String?
    ) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let (record, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BreakRecord, CallbackEvent) in
            switch action {
            case "create":
                guard let addressID, state.address(addressID) != nil else {
                    throw AdminError(404, "no address \(addressID ?? "")")
                }
                guard let since, let till, since < till else {
                    throw AdminError(400, "since and till (since < till) are required")
                }
                let record = SimulatorState.BreakRecord(
                    id: state.makeID(), addressID: addressID, since: since, till: till, description: description)
                state.breaks.append(record)
                return (record, state.breakEvent(.breakCreated, record, timeZone: timeZone))
            case "move":
                guard let index = state.breaks.firstIndex(where: { $0.id == breakID }) else {
                    throw AdminError(404, "no break \(breakID ?? "")")
                }
                guard let since, let till, since < till else {
                    throw AdminError(400, "since and till (since < till) are required")
                }
                state.breaks[index].since = since
                state.breaks[index].till = till
                return (state.breaks[index], state.breakEvent(.breakMoved, state.breaks[index], timeZone: timeZone))
            case "remove":
                guard let index = state.breaks.firstIndex(where: { $0.id == breakID }) else {
                    throw AdminError(404, "no break \(breakID ?? "")")
                }
                let record = state.breaks.remove(at: index)
                return (record, state.breakEvent(.breakRemoved, record, timeZone: timeZone))
            default:
                throw AdminError(400, "action must be create, move or remove")
            }
        }
        var outcome = AdminOutcome(
            outcome: "break-\(action == "create" ? "created" : action == "move" ? "moved" : "removed")")
        outcome.breakID = record.id
        hub.publish(DocplannerNotification(event: event, createdAt: text(now)), now: now)
        outcome.events.append(event.name)
        return outcome
    }

    /// Creates, changes or deletes an address service.
    func changeAddressService(
        action: String, addressID: String?, addressServiceID: String?, serviceID: String?, price: Double??,
        description: String?, isVisible: Bool?, defaultDuration: Int?
    ) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let (record, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.AddressServiceRecord, CallbackEvent) in
            switch action {
            case "create":
                guard let addressID, state.address(addressID) != nil else {
                    throw AdminError(404, "no address \(addressID ?? "")")
                }
                guard let service = state.services.first(where: { $0.id == serviceID }) else {
                    throw AdminError(404, "no dictionary service \(serviceID ?? "")")
                }
                var record = SimulatorState.AddressServiceRecord(
                    id: state.makeID(), addressID: addressID, serviceID: service.id, name: service.name, price: nil,
                    isPriceFrom: false, description: description, isVisible: isVisible ?? true,
                    defaultDuration: defaultDuration ?? 30, allowedPatients: nil, customName: nil, isDefault: false)
                if let price { record.price = price }
                state.addressServices.append(record)
                return (record, state.addressServiceEvent(.addressServiceCreated, record))
            case "change":
                guard let index = state.addressServices.firstIndex(where: { $0.id == addressServiceID }) else {
                    throw AdminError(404, "no address service \(addressServiceID ?? "")")
                }
                if let price { state.addressServices[index].price = price }
                if let description { state.addressServices[index].description = description }
                if let isVisible { state.addressServices[index].isVisible = isVisible }
                if let defaultDuration { state.addressServices[index].defaultDuration = defaultDuration }
                let record = state.addressServices[index]
                return (record, state.addressServiceEvent(.addressServiceChanged, record))
            case "delete":
                guard let index = state.addressServices.firstIndex(where: { $0.id == addressServiceID }) else {
                    throw AdminError(404, "no address service \(addressServiceID ?? "")")
                }
                let event = state.addressServiceEvent(.addressServiceDeleted, state.addressServices[index])
                let record = state.addressServices.remove(at: index)
                state.removeUnits(of: record.id, at: record.addressID)
                return (record, event)
            default:
                throw AdminError(400, "action must be create, change or delete")
            }
        }
        var outcome = AdminOutcome(
            outcome: "address-service-\(action == "create" ? "created" : action == "change" ? "changed" : "deleted")")
        outcome.addressServiceID = record.id
        hub.publish(DocplannerNotification(event: event, createdAt: text(now)), now: now)
        outcome.events.append(event.name)
        return outcome
    }

    /// Sets an address's calendar to `enabled`, `disabled` or `missing` (as if it never had one:
    /// getCalendar answers 404 "Calendar does not exist"); a missing calendar loses its slots.
    /// Docplanner sends no event for it.
    func setCalendar(addressID: String, to status: SimulatorState.CalendarStatus) throws(AdminError) -> AdminOutcome {
        try store.withLock { state throws(AdminError) in
            guard let index = state.addressIndex(addressID) else { throw AdminError(404, "no address \(addressID)") }
            state.addresses[index].calendar = status
            if status == .missing { state.slots[addressID] = nil }
        }
        return AdminOutcome(outcome: "calendar-\(status.rawValue)")
    }

    /// Changes an address's commercial type (`premium`, `saas-only`, `basic`).
    func changeCommercialType(addressID: String, to type: String) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let event = try store.withLock { state throws(AdminError) -> CallbackEvent in
            guard let index = state.addressIndex(addressID) else { throw AdminError(404, "no address \(addressID)") }
            state.addresses[index].commercialType = type
            return state.commercialTypeEvent(addressID)
        }
        var outcome = AdminOutcome(outcome: "commercial-type-changed")
        hub.publish(DocplannerNotification(event: event, createdAt: text(now)), now: now)
        outcome.events.append(event.name)
        return outcome
    }
}
