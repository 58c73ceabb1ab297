import DocplannerAPI
import Partner
import Store

/// Why a mapping, feeding or activation step could not finish: which side failed.
package enum MappingError: Error, Sendable, CustomStringConvertible {
    case docplanner(DocplannerError)
    case store(StoreError)
    case partner(PartnerError)

    package var description: String {
        switch self {
        case .docplanner(let error): "Docplanner: \(error)"
        case .store(let error): "store: \(error)"
        case .partner(let error): "partner calendar: \(error)"
        }
    }

    static func docplanner<T>(_ body: () throws(DocplannerError) -> T) throws(MappingError) -> T {
        do { return try body() } catch { throw .docplanner(error) }
    }

    static func store<T>(_ body: () throws(StoreError) -> T) throws(MappingError) -> T {
        do { return try body() } catch { throw .store(error) }
    }

    static func partner<T>(_ body: () throws(PartnerError) -> T) throws(MappingError) -> T {
        do { return try body() } catch { throw .partner(error) }
    }
}
