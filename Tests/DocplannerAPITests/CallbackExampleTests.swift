import DocplannerAPI
import Foundation
import Testing

/// Every callback example of the OpenAPI document decodes to its typed case with its fields.
@Suite struct CallbackExampleTests {
    /// Example name → (event name, identity key, ordering key).
    static let expected: [String: (name: String, identity: String, ordering: String)] = [
        "SlotBookingNotification": (
            "slot-booking", "slot-booking|address:111|2021-05-12T10:18:34+01:00", "calendar:1/123/111"
        ),
        "SlotBookingWhenVisitPaymentNotification": (
            "slot-booking", "slot-booking|address:111|2021-05-12T10:18:34+01:00", "calendar:1/123/111"
        ),
        "SlotBookedNotification": (
            "slot-booked", "slot-booked|visit_booking:6263715|2021-05-12T10:18:34+01:00", "booking:6263715"
        ),
        "SlotBookedByDoctorNotification": (
            "slot-booked", "slot-booked|visit_booking:6263715|2021-05-12T10:18:34+01:00", "booking:6263715"
        ),
        "SlotBookedWhenVisitPaymentNotification": (
            "slot-booked", "slot-booked|visit_booking:6263715|2021-05-12T10:18:34+01:00", "booking:6263715"
        ),
        "SlotBookedWhenVideocallNotification": (
            "slot-booked", "slot-booked|visit_booking:6263715|2021-05-12T10:18:34+01:00", "booking:6263715"
        ),
        "BookingCanceledNotification": (
            "booking-canceled", "booking-canceled|visit_booking:6263715|2021-05-14T15:46:34+01:00", "booking:6263715"
        ),
        "BookingCanceledByDoctorNotification": (
            "booking-canceled", "booking-canceled|visit_booking:6263715|2021-05-14T15:46:34+01:00", "booking:6263715"
        ),
        "BookingMovedNotification": (
            "booking-moved", "booking-moved|6263715>6264532|2021-05-14T15:46:34+01:00", "booking:6263715"
        ),
        "BookingMovingNotification": (
            "booking-moving", "booking-moving|address:111|2021-05-14T15:46:34+01:00", "booking:6263715"
        ),
        "BookingConfirmedNotification": (
            "booking-confirmed", "booking-confirmed|visit_booking:6263715|2021-05-12T10:18:34+01:00", "booking:6263715"
        ),
        "BookingPaymentStatusChangedNotification": (
            "booking-payment-status-changed",
            "booking-payment-status-changed|visit_booking:6263715|2021-05-12T10:18:34+01:00", "booking:6263715"
        ),
        "BreakCreatedNotification": (
            "break-created", "break-created|break:2573784|2021-05-14T15:46:34+01:00", "calendar:1/123/111"
        ),
        "BreakRemovedNotification": (
            "break-removed", "break-removed|break:2573784|2021-05-14T15:46:34+01:00", "calendar:1/123/111"
        ),
        "BreakMovedNotification": (
            "break-moved", "break-moved|break:2573784|2021-05-14T15:46:34+01:00", "calendar:1/123/111"
        ),
        "PresenceMarkedNotification": (
            "presence-marked", "presence-marked|visit_booking:6264532|2021-05-14T15:46:34+01:00", "booking:6264532"
        ),
        "AddressServiceCreatedNotification": (
            "address-service-created", "address-service-created|address_service:111|2021-05-14T15:46:34+01:00",
            "calendar:1/123/111"
        ),
        "AddressServiceDeletedNotification": (
            "address-service-deleted", "address-service-deleted|address_service:111|2021-05-14T15:46:34+01:00",
            "calendar:1/123/111"
        ),
        "AddressServiceChangedNotification": (
            "address-service-changed", "address-service-changed|address_service:111|2021-05-14T15:46:34+01:00",
            "calendar:1/123/111"
        ),
        "AddressCommercialTypeChangedNotification": (
            "address-commercial-type-changed", "address-commercial-type-changed|address:111|2021-05-14T15:46:34+01:00",
            "calendar:1/123/111"
        ),
        "AddressAssignedNotification": (
            "address-assigned", "address-assigned|address:111|2021-05-14T15:46:34+01:00", "calendar:1/123/111"
        ),
        "AddressUnassignedNotification": (
            "address-unassigned", "address-unassigned|address:111|2021-05-14T15:46:34+01:00", "calendar:1/123/111"
        ),
    ]

    @Test func fixtureHoldsAllExamples() {
        #expect(Fixtures.callbackExamples.count == 24)
        #expect(Set(Fixtures.callbackNames) == Set(Self.expected.keys))
        // The 22 examples cover all 17 event names.
        let names = Set(Self.expected.values.map(\.name))
        #expect(names == Set(CallbackEventName.allCases.map(\.rawValue)))
    }

    @Test(arguments: Fixtures.callbackNames)
    func exampleDecodesToItsCaseWithKeys(example: String) throws {
        let notification = try Fixtures.notification(example)
        let expected = try #require(Self.expected[example])
        #expect(notification.name == expected.name)
        #expect(notification.event.name == expected.name)
        #expect(notification.event.knownName?.rawValue == expected.name)
        #expect(notification.identityKey == expected.identity)
        #expect(notification.orderingKey == expected.ordering)
        #expect(notification.isBlocking == ["slot-booking", "booking-moving"].contains(expected.name))
        // Every example names the same place.
        let place = notification.event.place
        #expect(place.facility?.id == "1")
        #expect(place.facility?.name == "Sample hospital")
        #expect(place.doctor?.id == "123")
        #expect(place.doctor?.surname == "Doctor 123")
        #expect(place.address?.id == "111")
        #expect(place.address?.street == "Some street")
        #expect(notification.createdAt?.date != nil)
        // Re-encoding and decoding again gives the same value.
        let again = try DocplannerNotification.decode(JSONEncoder().encode(notification))
        #expect(again == notification)
    }

    @Test func slotBooking() throws {
        guard case .slotBooking(let data) = try Fixtures.notification("SlotBookingNotification").event else {
            Issue.record("not slot-booking")
            return
        }
        let request = try #require(data.visitBookingRequest)
        #expect(request.bookingAt?.text == "2021-05-12T10:18:24+01:00")
        #expect(request.bookingBy == "user")
        #expect(request.duration == 30)
        #expect(request.startAt?.text == "2021-05-26T16:00:00+01:00")
        #expect(request.startAt?.date == Date(timeIntervalSince1970: 1_622_041_200))
        #expect(request.endAt?.text == "2021-05-26T16:30:00+01:00")
        #expect(request.addressService?.id == "243665")
        #expect(request.addressService?.name == "biopsja nerki")
        #expect(request.addressService?.price == 50)
        #expect(request.addressService?.isPriceFrom == false)
        #expect(request.addressService?.isVisible == true)
        #expect(request.patient?.name == "Abraham")
        #expect(request.patient?.surname == "Lincoln")
        #expect(request.patient?.phone == "+48123123123")
        #expect(request.patient?.birthDate == "1985-01-01")
        #expect(request.patient?.nin == "894237492")
        #expect(request.patient?.gender == "m")
        #expect(request.patient?.insuranceNumber == "CARD-7654321")
        #expect(request.comment == "Additional information about the visit")
        #expect(request.visitPayment == nil)
        #expect(data.address?.postCode == "xx-xxx")

        guard case .slotBooking(let paid) = try Fixtures.notification("SlotBookingWhenVisitPaymentNotification").event
        else {
            Issue.record("not slot-booking")
            return
        }
        #expect(paid.visitBookingRequest?.visitPayment == true)
    }

    @Test func slotBookedVariants() throws {
        guard case .slotBooked(let data) = try Fixtures.notification("SlotBookedNotification").event else {
            Issue.record("not slot-booked")
            return
        }
        let booking = try #require(data.visitBooking)
        #expect(booking.id == "6263715")
        #expect(booking.status == "booked")
        #expect(booking.bookedBy == "user")
        #expect(booking.canceledBy == "")
        #expect(booking.cancellingParty == nil)
        #expect(booking.canceledAt == nil)
        #expect(booking.bookedAt?.text == "2021-05-12T10:18:24+01:00")
        #expect(booking.insurance?.id == "1")
        #expect(booking.insurance?.name == "Sample Insurance 1")
        #expect(booking.insurance?.plan == "")
        #expect(booking.patient?.email == "example@example.com")

        guard case .slotBooked(let byDoctor) = try Fixtures.notification("SlotBookedByDoctorNotification").event,
            case .slotBooked(let paid) = try Fixtures.notification("SlotBookedWhenVisitPaymentNotification").event,
            case .slotBooked(let video) = try Fixtures.notification("SlotBookedWhenVideocallNotification").event
        else {
            Issue.record("not slot-booked")
            return
        }
        #expect(byDoctor.visitBooking?.bookedBy == "doctor")
        #expect(byDoctor.visitBooking?.insurance == nil)
        #expect(paid.visitBooking?.visitPayment == true)
        #expect(video.visitBooking?.videocallURL == "http://url-to-video-call")
    }

    @Test func bookingCanceled() throws {
        guard case .bookingCanceled(let byUser) = try Fixtures.notification("BookingCanceledNotification").event,
            case .bookingCanceled(let byDoctor) = try Fixtures.notification("BookingCanceledByDoctorNotification").event
        else {
            Issue.record("not booking-canceled")
            return
        }
        #expect(byUser.visitBooking?.status == "canceled")
        #expect(byUser.visitBooking?.canceledBy == "user")
        #expect(byUser.visitBooking?.cancellingParty == "user")
        #expect(byUser.visitBooking?.canceledAt?.text == "2021-05-14T15:45:57+01:00")
        #expect(byDoctor.visitBooking?.canceledBy == "doctor")
    }

    @Test func bookingMoved() throws {
        guard case .bookingMoved(let data) = try Fixtures.notification("BookingMovedNotification").event else {
            Issue.record("not booking-moved")
            return
        }
        #expect(data.oldVisitBooking?.id == "6263715")
        #expect(data.oldVisitBooking?.status == "canceled")
        #expect(data.oldVisitBooking?.canceledBy == "doctor")
        #expect(data.newVisitBooking?.id == "6264532")
        #expect(data.newVisitBooking?.status == "booked")
        #expect(data.newVisitBooking?.startAt?.text == "2021-05-27T11:00:00+01:00")
        #expect(data.newVisitBooking?.bookedBy == "doctor")
        #expect(data.newVisitBooking?.canceledBy == "")
    }

    @Test func bookingMovingUsesCancelingFields() throws {
        let notification = try Fixtures.notification("BookingMovingNotification")
        guard case .bookingMoving(let data) = notification.event else {
            Issue.record("not booking-moving")
            return
        }
        #expect(notification.event.bookingID == "6263715")
        let canceling = try #require(data.cancelingBooking)
        #expect(canceling.id == "6263715")
        #expect(canceling.cancelingBy == "doctor")
        #expect(canceling.cancelingAt?.text == "2021-05-14T15:45:57+01:00")
        #expect(canceling.canceledBy == nil)
        #expect(canceling.cancellingParty == "doctor")
        #expect(canceling.status == nil)
        #expect(canceling.addressService?.id == "243665")
        let creating = try #require(data.creatingBooking)
        #expect(creating.startAt?.text == "2021-05-27T11:00:00+01:00")
        #expect(creating.endAt?.text == "2021-05-27T11:30:00+01:00")
        #expect(creating.duration == 30)
        #expect(creating.bookingBy == "doctor")
        #expect(creating.bookingAt?.text == "2021-05-14T10:19:02+01:00")
        #expect(creating.signature == "699c9b15-a72f-741b-cd24-fdef7b00551e")
        #expect(creating.patient == nil)
    }

    @Test func bookingConfirmed() throws {
        guard case .bookingConfirmed(let data) = try Fixtures.notification("BookingConfirmedNotification").event else {
            Issue.record("not booking-confirmed")
            return
        }
        #expect(data.visitBooking?.id == "6263715")
        #expect(data.visitBooking?.comment == "Additional information about the visit")
    }

    @Test func paymentStatusChanged() throws {
        guard
            case .bookingPaymentStatusChanged(let data) = try Fixtures.notification(
                "BookingPaymentStatusChangedNotification"
            ).event
        else {
            Issue.record("not booking-payment-status-changed")
            return
        }
        #expect(data.visitPaymentStatus?.statusFrom == "not-paid")
        #expect(data.visitPaymentStatus?.statusTo == "paid")
        #expect(data.visitPaymentStatus?.changedAt?.text == "2021-05-12T10:18:34+01:00")
        #expect(data.visitBooking?.signature == "f6b9b2fc-4faa-feab-58d9-26a3767f1426")
        // The example's canceled_at is the string "null,": kept as text, not a date.
        #expect(data.visitBooking?.canceledAt?.text == "null,")
        #expect(data.visitBooking?.canceledAt?.date == nil)
    }

    @Test func breakEvents() throws {
        for (example, expectedCase) in [
            ("BreakCreatedNotification", "created"), ("BreakRemovedNotification", "removed"),
            ("BreakMovedNotification", "moved"),
        ] {
            let event = try Fixtures.notification(example).event
            let data: BreakEventData
            switch (event, expectedCase) {
            case (.breakCreated(let d), "created"), (.breakRemoved(let d), "removed"), (.breakMoved(let d), "moved"):
                data = d
            default:
                Issue.record("\(example) decoded as \(event.name)")
                continue
            }
            #expect(data.calendarBreak?.id == "2573784")
            #expect(data.calendarBreak?.since?.text == "2021-05-25T10:00:00+01:00")
            #expect(data.calendarBreak?.till?.text == "2021-05-25T12:00:00+01:00")
            #expect(event.bookingID == nil)
        }
    }

    @Test func presenceMarked() throws {
        guard case .presenceMarked(let data) = try Fixtures.notification("PresenceMarkedNotification").event else {
            Issue.record("not presence-marked")
            return
        }
        #expect(data.presence?.state == .absent)
        #expect(data.presence?.text == "ABSENT")
        #expect(data.visitBooking?.id == "6264532")
        #expect(data.visitBooking?.patient?.isReturning == true)
        #expect(data.visitBooking?.patient?.insuranceNumber == "CARD-7654321")
    }

    @Test func addressServiceEvents() throws {
        for example in [
            "AddressServiceCreatedNotification", "AddressServiceDeletedNotification",
            "AddressServiceChangedNotification",
        ] {
            let event = try Fixtures.notification(example).event
            let data: AddressServiceEventData
            switch event {
            case .addressServiceCreated(let d) where example.contains("Created"): data = d
            case .addressServiceDeleted(let d) where example.contains("Deleted"): data = d
            case .addressServiceChanged(let d) where example.contains("Changed"): data = d
            default:
                Issue.record("\(example) decoded as \(event.name)")
                continue
            }
            let service = try #require(data.addressService)
            #expect(service.id == "111")
            #expect(service.name == "USG")
            #expect(service.price == 150)
            #expect(service.isPriceFrom == false)
            #expect(service.isDefault == true)
            #expect(service.description == "Address service description 1")
            #expect(service.serviceID == "1")
            #expect(service.isVisible == true)
        }
    }

    @Test func addressEvents() throws {
        for example in [
            "AddressCommercialTypeChangedNotification", "AddressAssignedNotification", "AddressUnassignedNotification",
        ] {
            let event = try Fixtures.notification(example).event
            switch event {
            case .addressCommercialTypeChanged(let d) where example.contains("Commercial"):
                #expect(d.address?.commercialType == "premium")
            case .addressAssigned(let d) where example.contains("Assigned"):
                #expect(d.address?.commercialType == "premium")
            case .addressUnassigned(let d) where example.contains("Unassigned"):
                #expect(d.address?.commercialType == "premium")
            default:
                Issue.record("\(example) decoded as \(event.name)")
            }
        }
    }

    @Test func pullExamplesDecodeAsBatches() throws {
        let decoder = JSONDecoder()
        let multiple = try decoder.decode(
            NotificationBatch.self, from: try #require(Fixtures.callbackExamples["PullingMultipleNotifications"]))
        #expect(multiple.remaining == 5)
        #expect(multiple.notifications.map(\.name) == ["break-created", "presence-marked"])
        guard case .breakCreated(let created) = multiple.notifications[0].event,
            case .presenceMarked(let presence) = multiple.notifications[1].event
        else {
            Issue.record("wrong cases")
            return
        }
        #expect(created.calendarBreak?.id == "2573784")
        #expect(presence.presence?.state == .absent)
        // The same event pushed and pulled has the same identity.
        #expect(
            multiple.notifications[0].identityKey == (try Fixtures.notification("BreakCreatedNotification")).identityKey
        )

        let last = try decoder.decode(
            NotificationBatch.self, from: try #require(Fixtures.callbackExamples["PullingAllOfRemainingNotifications"]))
        #expect(last.remaining == 0)
        #expect(last.notifications.count == 1)
        #expect(last.notifications.first?.name == "break-created")
    }
}
