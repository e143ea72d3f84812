#if NATS
    import EmporiumCore
    import Foundation
    import Logging
    import NATSBroker
    import Synchronization
    import EmporiumTestSupport
    import Testing

    /// The JetStream broker against real nats-server processes.
    @Suite(.serialized, .tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct NATSBrokerTests {
        let logger = Logger(label: "test")

        func withBroker(
            ackWait: Duration = .seconds(30),
            _ body: (NATSServerProcess, NATSBroker) async throws -> Void
        ) async throws {
            let server = try NATSServerProcess.start()
            defer { server.stop() }
            let broker = try await NATSBroker.connect(settings: NATSBrokerSettings(url: server.url, ackWait: ackWait), logger: logger)
            do {
                try await body(server, broker)
            } catch {
                await broker.close()
                throw error
            }
            await broker.close()
        }

        static func message(_ id: String, subject: String = "emporium.test.happened.v1") -> BrokerMessage {
            BrokerMessage(id: id, subject: subject, payload: Array(#"{"id":"\#(id)"}"#.utf8))
        }

        @Test func publishedMessagesArriveWithTheirIdsAndPayloads() async throws {
            try await withBroker { _, broker in
                let group = try await broker.consumerGroup("test.arrival", subjects: ["emporium.test.happened.v1"])
                let sent = (1...50).map { Self.message("evt-\($0)") }
                try await broker.publish(sent)
                var received: [BrokerMessage] = []
                while received.count < sent.count {
                    let batch = try await group.fetch(max: 20, wait: .seconds(5))
                    #expect(!batch.isEmpty)
                    guard !batch.isEmpty else { break }
                    for delivery in batch { try await group.ack(delivery) }
                    received += batch.map(\.message)
                }
                #expect(received == sent)
            }
        }

        @Test func aRepublishedEventIdIsStoredOnce() async throws {
            try await withBroker { _, broker in
                let group = try await broker.consumerGroup("test.dedup", subjects: ["emporium.test.happened.v1"])
                try await broker.publish([Self.message("evt-1"), Self.message("evt-2")])
                try await broker.publish([Self.message("evt-1")])
                let first = try await group.fetch(max: 10, wait: .seconds(2))
                for delivery in first { try await group.ack(delivery) }
                let second = try await group.fetch(max: 10, wait: .milliseconds(300))
                #expect((first + second).map(\.message.id) == ["evt-1", "evt-2"])
            }
        }

        @Test func anUnacknowledgedMessageIsRedeliveredAfterAckWait() async throws {
            try await withBroker(ackWait: .milliseconds(500)) { _, broker in
                let group = try await broker.consumerGroup("test.ackwait", subjects: ["emporium.test.happened.v1"])
                try await broker.publish([Self.message("evt-1")])
                let first = try await group.fetch(max: 1, wait: .seconds(2))
                #expect(first.map(\.attempt) == [1])
                let again = try await group.fetch(max: 1, wait: .seconds(5))
                #expect(again.map(\.message.id) == ["evt-1"])
                #expect(again.map(\.attempt) == [2])
                try await group.ack(try #require(again.first))
            }
        }

        @Test func aNakRedeliversAfterItsDelay() async throws {
            try await withBroker { _, broker in
                let group = try await broker.consumerGroup("test.nak", subjects: ["emporium.test.happened.v1"])
                try await broker.publish([Self.message("evt-1")])
                let first = try #require(try await group.fetch(max: 1, wait: .seconds(2)).first)
                try await group.nak(first, redeliverAfter: .milliseconds(200))
                let again = try await group.fetch(max: 1, wait: .seconds(5))
                #expect(again.map(\.attempt) == [2])
                if let delivery = again.first { try await group.ack(delivery) }
            }
        }

        @Test func aGroupReceivesOnlyItsSubjectsAcrossSeveral() async throws {
            try await withBroker { _, broker in
                let group = try await broker.consumerGroup("test.subjects", subjects: ["emporium.test.a.v1", "emporium.test.b.v1"])
                try await broker.publish([
                    Self.message("a", subject: "emporium.test.a.v1"), Self.message("c", subject: "emporium.test.c.v1"),
                    Self.message("b", subject: "emporium.test.b.v1"),
                ])
                var ids: Set<String> = []
                for _ in 0..<10 where ids.count < 2 {
                    for delivery in try await group.fetch(max: 10, wait: .milliseconds(500)) {
                        ids.insert(delivery.message.id)
                        try await group.ack(delivery)
                    }
                }
                #expect(ids == ["a", "b"])
            }
        }

        @Test func aGroupsLagCountsWhatWaitsAndWhatIsHandedOutUntilAcknowledged() async throws {
            try await withBroker { _, broker in
                let group = try await broker.consumerGroup("test.lag", subjects: ["emporium.test.a.v1", "emporium.test.b.v1"])
                #expect(try await group.lag() == 0)
                try await broker.publish([
                    Self.message("a", subject: "emporium.test.a.v1"), Self.message("c", subject: "emporium.test.c.v1"),
                    Self.message("b", subject: "emporium.test.b.v1"),
                ])
                #expect(try await group.lag() == 2, "another group's subject is not this group's lag")
                var handled = 0
                for _ in 0..<10 where handled < 2 {
                    for delivery in try await group.fetch(max: 10, wait: .milliseconds(500)) {
                        if handled == 0 { #expect(try await group.lag() == 2, "handed out is not handled") }
                        try await group.ack(delivery)
                        handled += 1
                    }
                }
                // An ack is a publish the server takes in its own time: asked until it has.
                var lag = try await group.lag()
                for _ in 0..<50 where lag > 0 {
                    try await Task.sleep(for: .milliseconds(20))
                    lag = try await group.lag()
                }
                #expect(lag == 0)
            }
        }

        /// A group with several subjects pulls them all at once into a buffer; an instance that shuts
        /// down must hand back what it pulled but never processed, not leave it for the ack deadline.
        @Test func aClosingInstanceReleasesWhatItsPullersBuffered() async throws {
            try await withBroker { server, staying in
                let subjects = ["emporium.test.a.v1", "emporium.test.b.v1"]
                let leaving = try await NATSBroker.connect(settings: NATSBrokerSettings(url: server.url), logger: logger)  // AckWait 30 s
                let leavingGroup = try await leaving.consumerGroup("test.release", subjects: subjects)
                try await staying.publish((1...40).map { Self.message("r-\($0)", subject: subjects[$0 % 2]) })
                var handled: Set<String> = []
                for delivery in try await leavingGroup.fetch(max: 5, wait: .seconds(2)) {
                    handled.insert(delivery.message.id)
                    try await leavingGroup.ack(delivery)
                }
                #expect(!handled.isEmpty)
                await leaving.close()
                let stayingGroup = try await staying.consumerGroup("test.release", subjects: subjects)
                var idle = 0
                // At most 10 idle fetches of 500 ms: far less than the 30 s a forgotten delivery would wait.
                while handled.count < 40 && idle < 10 {
                    let batch = try await stayingGroup.fetch(max: 10, wait: .milliseconds(500))
                    idle = batch.isEmpty ? idle + 1 : 0
                    for delivery in batch {
                        handled.insert(delivery.message.id)
                        try await stayingGroup.ack(delivery)
                    }
                }
                #expect(handled.count == 40)
            }
        }

        @Test func twoInstancesSplitAGroupAndHandleEachMessageOnce() async throws {
            try await withBroker { server, broker in
                let other = try await NATSBroker.connect(settings: NATSBrokerSettings(url: server.url), logger: logger)
                let first = try await broker.consumerGroup("test.shared", subjects: ["emporium.test.happened.v1"])
                let second = try await other.consumerGroup("test.shared", subjects: ["emporium.test.happened.v1"])
                try await broker.publish((1...300).map { Self.message("evt-\($0)") })

                let tally = Tally()
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    for (index, group) in [first, second].enumerated() {
                        tasks.addTask {
                            var idle = 0
                            while idle < 3 {
                                let batch = try await group.fetch(max: 7, wait: .milliseconds(300))
                                idle = batch.isEmpty ? idle + 1 : 0
                                for delivery in batch {
                                    tally.record(delivery.message.id, instance: index)
                                    try await group.ack(delivery)
                                }
                            }
                        }
                    }
                    try await tasks.waitForAll()
                }
                let counts = tally.seen.withLock { $0 }
                #expect(counts.count == 300)
                #expect(counts.values.allSatisfy { $0 == 1 })
                #expect(tally.perInstance.withLock { $0 }.allSatisfy { $0 > 0 }, "both instances took work")
                await other.close()
            }
        }

        /// Deliveries seen by the instances of a group, counted from their tasks.
        final class Tally: Sendable {
            let seen = Mutex<[String: Int]>([:])
            let perInstance = Mutex<[Int]>([0, 0])

            func record(_ id: String, instance: Int) {
                seen.withLock { $0[id, default: 0] += 1 }
                perInstance.withLock { $0[instance] += 1 }
            }
        }

        @Test func aServerRestartMidStreamLosesNothing() async throws {
            try await withBroker { server, broker in
                let group = try await broker.consumerGroup("test.restart", subjects: ["emporium.test.happened.v1"])
                try await broker.publish((1...100).map { Self.message("evt-\($0)") })
                try server.restart(after: .milliseconds(500))
                // The relay's way: a publish that fails is retried until the broker takes it.
                let second = (101...200).map { Self.message("evt-\($0)") }
                var published = false
                for _ in 0..<100 where !published {
                    do {
                        try await broker.publish(second)
                        published = true
                    } catch {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(published)
                var ids: Set<String> = []
                var idle = 0
                while ids.count < 200 && idle < 20 {
                    do {
                        let batch = try await group.fetch(max: 50, wait: .milliseconds(500))
                        idle = batch.isEmpty ? idle + 1 : 0
                        for delivery in batch {
                            ids.insert(delivery.message.id)
                            try await group.ack(delivery)
                        }
                    } catch {
                        idle += 1
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(ids.count == 200)
            }
        }
    }
#endif
