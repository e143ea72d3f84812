import Contracts
import EmbeddedBroker
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import EmporiumCore

/// Concurrent write transactions on one SQLite file, committed together: each caller still gets
/// its own result or its own error, and a failing one leaves nothing behind.
@Suite(.timeLimit(.minutes(2))) struct GroupCommitTests {
    struct Refused: Error, Equatable { let number: Int }

    @Test func concurrentTransactionsEachGetTheirOwnOutcomeAndAFailureIsUndoneAlone() async throws {
        let fixture = try await MessagingFixture.make()
        let outcomes = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for number in 1...40 {
                group.addTask {
                    do {
                        let value = try await fixture.database.transaction { database in
                            try await database.sql.insert(into: "effects").columns("order_id").values(SQLBind("order-\(number)")).run()
                            // Every fifth fails after writing: its row must not survive.
                            if number % 5 == 0 { throw Refused(number: number) }
                            return number * 10
                        }
                        return (number, .success(value))
                    } catch {
                        return (number, .failure(error))
                    }
                }
            }
            var outcomes: [Int: Result<Int, any Error>] = [:]
            for await (number, outcome) in group { outcomes[number] = outcome }
            return outcomes
        }
        for number in 1...40 {
            switch try #require(outcomes[number]) {
            case .success(let value):
                #expect(number % 5 != 0 && value == number * 10)
            case .failure(let error):
                #expect(number % 5 == 0 && (error as? Refused) == Refused(number: number))
            }
        }
        let stored = Set(try await fixture.effects())
        #expect(stored == Set((1...40).filter { $0 % 5 != 0 }.map { "order-\($0)" }))
        await fixture.close()
    }

    @Test func aFailedTransactionsEventsNeverLeaveWhileItsNeighboursDo() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for number in 1...10 {
                tasks.addTask {
                    _ = try? await fixture.outbox.transaction { _, writer in
                        try await writer.add(MessagingFixture.order(number))
                        if number.isMultiple(of: 2) { throw Refused(number: number) }
                    }
                }
            }
            try await tasks.waitForAll()
        }
        #expect(try await fixture.relay.relayBatch() == 5)
        let shipped = try await group.fetch(max: 20, wait: .zero).map {
            try EventCoding.decoder().decode(CloudEvent<OrderShipped>.self, from: Data($0.message.payload)).data.trackingNumber
        }
        #expect(Set(shipped) == ["EP1", "EP3", "EP5", "EP7", "EP9"])
        await fixture.close()
    }
}
