import DocplannerAPI
import Foundation

/// The deterministic starting state: one facility with two doctors and three addresses,
/// a service dictionary, insurance providers, a week of slots, a break, and bookings.
/// Dates are relative to the start of `now`'s day in `timeZone`, so the same clock gives
/// the same state.
///
/// | address | doctor | notes |
/// |---|---|---|
/// | 111 Example hospital | 123 | premium, calendar enabled, slots 09:00–13:00 days 1–7, payment account A |
/// | 112 Online consultations | 123 | online only, slots 14:00–16:00 days 1–7, payment account B |
/// | 221 Branch clinic | 234 | basic (not commercial), calendar disabled |
///
/// `extraDoctors` adds that many doctors to facility 1 after the fixed ones (for
/// benchmarks; see `addExtraDoctors`); the fixed part stays the same.
enum SimulatorDataset {
    /// The most extra doctors: their ids stay clear of the fixed dataset's and of the ids
    /// handed out at run time (800001 up).
    static let maximumExtraDoctors = 1000

    static func make(now: Double, timeZone: TimeZone, extraDoctors: Int = 0, clinicDoctors: Int = 0) -> SimulatorState {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: Date(timeIntervalSince1970: now))
        func at(day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
            let midnight = calendar.date(byAdding: .day, value: day, to: today)!
            return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: midnight)!
        }

        var state = SimulatorState()
        state.facilities = [
            .init(id: "1", name: "Sample hospital"),
            .init(id: "2", name: "Another sample hospital"),
        ]
        state.doctors = [
            .init(
                id: "123", facilityID: "1", name: "Sample", surname: "Doctor 123",
                specializations: [("12", "Specialization example 12")], licenseNumbers: ["PWZ 1234567"]),
            .init(
                id: "234", facilityID: "1", name: "Sample", surname: "Doctor 234",
                specializations: [("13", "Specialization example 13")], licenseNumbers: []),
        ]
        state.addresses = [
            .init(
                id: "111", facilityID: "1", doctorID: "123", name: "Example hospital", cityName: "Some city",
                postCode: "00-001", street: "Some street 1", isOnlineOnly: false, commercialType: "premium",
                insuranceSupport: "private_and_insurance", visitPayment: true, paymentAccount: "A",
                calendar: .enabled),
            .init(
                id: "112", facilityID: "1", doctorID: "123", name: "Online consultations", cityName: "Some city",
                postCode: "00-001", street: "Some street 1", isOnlineOnly: true, commercialType: "premium",
                insuranceSupport: "private", visitPayment: false, paymentAccount: "B", calendar: .enabled),
            .init(
                id: "221", facilityID: "1", doctorID: "234", name: "Branch clinic", cityName: "Other city",
                postCode: "00-002", street: "Other street 2", isOnlineOnly: false, commercialType: "basic",
                insuranceSupport: "private", visitPayment: false, paymentAccount: "A", calendar: .disabled),
        ]
        state.services = [
            .init(id: "1", name: "USG", specializationIDs: ["12"]),
            .init(id: "2", name: "EKG", specializationIDs: ["12", "13"]),
            .init(id: "3", name: "EEG", specializationIDs: ["13"]),
            .init(id: "4", name: "Online consultation", specializationIDs: ["12", "13"]),
        ]
        state.addressServices = [
            .init(
                id: "101", addressID: "111", serviceID: "1", name: "USG", price: 100, isPriceFrom: false,
                description: "Description of service", isVisible: true, defaultDuration: 30,
                allowedPatients: AllowedPatients(minimumAge: 18, maximumAge: 65), customName: nil, isDefault: true),
            .init(
                id: "102", addressID: "111", serviceID: "2", name: "EKG", price: 80, isPriceFrom: true,
                description: nil, isVisible: true, defaultDuration: 15, allowedPatients: nil, customName: nil,
                isDefault: false),
            .init(
                id: "121", addressID: "112", serviceID: "4", name: "Online consultation", price: 120,
                isPriceFrom: false, description: nil, isVisible: true, defaultDuration: 20, allowedPatients: nil,
                customName: nil, isDefault: true),
            .init(
                id: "201", addressID: "221", serviceID: "3", name: "EEG", price: nil, isPriceFrom: false,
                description: nil, isVisible: false, defaultDuration: 45, allowedPatients: nil, customName: nil,
                isDefault: true),
        ]
        state.insuranceProviders = [
            .init(
                id: "1", name: "Insurance provider 1",
                plans: [("999", "Insurance plan 999"), ("1000", "Insurance plan 1000")]),
            .init(id: "2", name: "Insurance provider 2", plans: []),
            .init(id: "52", name: "Axa", plans: [("11", "Axa Basic")]),
        ]
        state.addressInsurance = [
            .init(addressID: "111", providerID: "1", planIDs: ["999"]),
            .init(addressID: "111", providerID: "52", planIDs: []),
        ]
        // Bookable units of the week's ranges: 111 09:00-13:00 (USG every 30 min, EKG every 15),
        // 112 14:00-16:00 (online consultation every 20 min).
        for day in 1...7 {
            state.slots["111", default: []] += SlotUnit.units(
                from: at(day: day, 9), to: at(day: day, 13),
                offers: [.init(addressServiceID: "101", duration: 30), .init(addressServiceID: "102", duration: 15)],
                insuranceAccepted: "with-and-without-insurance", insuranceProviders: [])
            state.slots["112", default: []] += SlotUnit.units(
                from: at(day: day, 14), to: at(day: day, 16), offers: [.init(addressServiceID: "121", duration: 20)],
                insuranceAccepted: "without-insurance-only", insuranceProviders: [])
        }
        state.breaks = [
            .init(
                id: "500001", addressID: "111", since: at(day: 2, 11), till: at(day: 2, 11, 30),
                description: "Staff meeting")
        ]
        let patient = Patient(
            name: "Abraham", surname: "Lincoln", email: "example@example.com", phone: "+48123123123",
            birthDate: "1985-01-01", nin: "894237492", gender: "m", isReturning: false, insuranceNumber: "CARD-7654321")
        let booked = at(day: -3, 12)
        func booking(
            _ id: String, day: Int, _ hour: Int, _ minute: Int, service: String, duration: Int, by: String
        ) -> SimulatorState.BookingRecord {
            .init(
                id: id, facilityID: "1", doctorID: "123", addressID: "111", status: "booked",
                start: at(day: day, hour, minute), duration: duration, bookedBy: by, bookedAt: booked,
                addressServiceID: service, patient: patient, comment: "Booked in the dataset")
        }
        var past = booking("700001", day: -1, 10, 0, service: "101", duration: 30, by: "user")
        past.presence = nil
        var paid = booking("700004", day: 2, 10, 0, service: "101", duration: 30, by: "user")
        paid.visitPayment = true
        paid.visitPaymentStatus = "successful"
        var canceled = booking("700005", day: 3, 9, 0, service: "102", duration: 15, by: "user")
        canceled.status = "canceled"
        canceled.canceledBy = "user"
        canceled.canceledAt = at(day: -2, 8)
        var insured = booking("700003", day: 1, 10, 0, service: "101", duration: 30, by: "user")
        insured.insurance = Insurance(id: "52", name: "Axa", plan: "Axa Basic", planID: "11")
        state.bookings = [
            past,
            booking("700002", day: 1, 9, 0, service: "101", duration: 30, by: "doctor"),
            insured,
            paid,
            canceled,
        ]
        addExtraDoctors(min(max(0, extraDoctors), maximumExtraDoctors), to: &state)
        addClinicFacility(doctors: min(max(0, clinicDoctors), maximumClinicDoctors), to: &state)
        return state
    }

    /// Doctor `1000 + k` (k = 1…count) in facility 1, specialization 12, with addresses
    /// `<doctor>1` and `<doctor>2` (premium, calendar enabled, no slots), each offering
    /// address services `<address>1` (USG, 30 minutes) and `<address>2` (EKG, 15 minutes):
    /// doctor 1001 has addresses 10011 and 10012, services 100111, 100112, 100121, 100122.
    static func addExtraDoctors(_ count: Int, to state: inout SimulatorState) {
        for k in stride(from: 1, through: count, by: 1) {
            let doctor = String(1000 + k)
            state.doctors.append(
                .init(
                    id: doctor, facilityID: "1", name: "Extra", surname: "Doctor \(doctor)",
                    specializations: [("12", "Specialization example 12")], licenseNumbers: []))
            for suffix in ["1", "2"] {
                let address = doctor + suffix
                state.addresses.append(
                    .init(
                        id: address, facilityID: "1", doctorID: doctor, name: "Extra address \(address)",
                        cityName: "Some city", postCode: "00-001", street: "Extra street \(k)", isOnlineOnly: false,
                        commercialType: "premium", insuranceSupport: "private", visitPayment: false,
                        paymentAccount: "A",
                        calendar: .enabled))
                state.addressServices += [
                    .init(
                        id: address + "1", addressID: address, serviceID: "1", name: "USG", price: 100,
                        isPriceFrom: false, description: nil, isVisible: true, defaultDuration: 30,
                        allowedPatients: nil,
                        customName: nil, isDefault: true),
                    .init(
                        id: address + "2", addressID: address, serviceID: "2", name: "EKG", price: 80,
                        isPriceFrom: false, description: nil, isVisible: true, defaultDuration: 15,
                        allowedPatients: nil,
                        customName: nil, isDefault: false),
                ]
            }
        }
    }

    /// The most doctors of the seeded clinic facility.
    static let maximumClinicDoctors = 500

    /// Facility 3, "Seeded clinic", for mapping and activation: doctors `3000 + k`
    /// (k = 1…count; "Anna Doctor3001"-style names, odd ones with license number
    /// `PWZ 300k`), each with address `<doctor>1` ("Main clinic", Long street 1) and
    /// `<doctor>2` ("Branch clinic", Short street 2), both premium with the calendar
    /// disabled, no slots and no insurance providers, each offering five address
    /// services `<address>1`…`<address>5`: USG 30 min 100, EKG 15 min 80, EEG 45 min 150,
    /// Online consultation 20 min 120, Consultation 30 min 200 (dictionary service 5,
    /// added with the facility).
    static func addClinicFacility(doctors count: Int, to state: inout SimulatorState) {
        guard count > 0 else { return }
        state.facilities.append(.init(id: "3", name: "Seeded clinic"))
        state.services.append(.init(id: "5", name: "Consultation", specializationIDs: ["12", "13"]))
        let firstNames = ["Anna", "Piotr", "Maria", "Jan", "Ewa", "Tomasz", "Zofia", "Adam", "Hanna", "Marek"]
        let services: [(String, String, Int, Int)] = [
            ("1", "USG", 30, 100), ("2", "EKG", 15, 80), ("3", "EEG", 45, 150), ("4", "Online consultation", 20, 120),
            ("5", "Consultation", 30, 200),
        ]
        for k in stride(from: 1, through: count, by: 1) {
            let doctor = String(3000 + k)
            state.doctors.append(
                .init(
                    id: doctor, facilityID: "3", name: firstNames[(k - 1) % firstNames.count],
                    surname: "Doctor\(doctor)",
                    specializations: [("12", "Specialization example 12")],
                    licenseNumbers: k % 2 == 1 ? ["PWZ \(3000 + k)"] : []))
            for (suffix, name, street) in [
                ("1", "Main clinic", "Long street 1"), ("2", "Branch clinic", "Short street 2"),
            ] {
                let address = doctor + suffix
                state.addresses.append(
                    .init(
                        id: address, facilityID: "3", doctorID: doctor, name: name, cityName: "Some city",
                        postCode: "00-003", street: street, isOnlineOnly: false, commercialType: "premium",
                        insuranceSupport: "private_and_insurance", visitPayment: false, paymentAccount: "A",
                        calendar: .disabled))
                for (index, service) in services.enumerated() {
                    state.addressServices.append(
                        .init(
                            id: address + String(index + 1), addressID: address, serviceID: service.0, name: service.1,
                            price: Double(service.3), isPriceFrom: false, description: nil, isVisible: true,
                            defaultDuration: service.2, allowedPatients: nil, customName: nil, isDefault: index == 0))
                }
            }
        }
    }
}
