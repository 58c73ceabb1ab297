/// An event loop's open connections, found by id without hashing: an id carries the
/// index of its slot (low 32 bits) and a serial number (the next 31 bits), so a lookup is
/// an array read and one compare, and an id whose connection closed never finds the
/// connection that took its slot later. Every epoll event and every handler's answer
/// looks its connection up (a dictionary's hashing of the id cost ~200 instructions
/// each time, two per request). Ids are never 0 nor have bit 63 set: the loop keeps
/// those for its wake-up and its listeners. Touched only by the loop's thread.
struct ConnectionTable {
    private var slots: [Connection?] = []
    private var free: [Int] = []
    private var serial: UInt64 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// A new id for the connection about to be inserted: its slot and a fresh serial.
    mutating func nextID() -> UInt64 {
        serial = serial & 0x7FFF_FFFF == 0x7FFF_FFFF ? 1 : serial + 1
        let slot = free.last ?? slots.count
        return serial << 32 | UInt64(slot)
    }

    /// Stores `connection` under its id, which `nextID()` just gave.
    mutating func insert(_ connection: Connection) {
        let slot = Self.slot(of: connection.id)
        if free.last == slot {
            free.removeLast()
            slots[slot] = connection
        } else {
            precondition(slot == slots.count, "a connection id not from nextID()")
            slots.append(connection)
        }
        count += 1
    }

    subscript(id: UInt64) -> Connection? {
        let slot = Self.slot(of: id)
        guard slot < slots.count, let connection = slots[slot], connection.id == id else { return nil }
        return connection
    }

    /// Forgets the connection with `id`; false when it was not there (already removed).
    mutating func remove(_ id: UInt64) -> Bool {
        let slot = Self.slot(of: id)
        guard slot < slots.count, let connection = slots[slot], connection.id == id else { return false }
        slots[slot] = nil
        free.append(slot)
        count -= 1
        return true
    }

    /// Every open connection (a copy of the list: the caller may close them meanwhile).
    var all: [Connection] { slots.compactMap { $0 } }

    private static func slot(of id: UInt64) -> Int { Int(truncatingIfNeeded: id & 0xFFFF_FFFF) }
}
