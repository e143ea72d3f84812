import Configuration
import EmporiumCore
import SimulatorSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct InjectedFaultsTests {
    @Test func faultsComeFromConfigurationAndRejectNonsense() throws {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "payment-gateway.latency-ms": "20", "payment-gateway.error-rate": "0.3",
                "payment-gateway.spike-rate": "0.05", "payment-gateway.spike-ms": "1500",
            ]))
        let faults = try InjectedFaults(config: config.scoped(to: "payment-gateway"), scope: "payment-gateway")
        #expect(faults == InjectedFaults(latency: .milliseconds(20), errorRate: 0.3, spikeRate: 0.05, spikeLatency: .milliseconds(1500)))

        let defaults = try InjectedFaults(config: ConfigReader(provider: InMemoryProvider(values: [:])), scope: "shipping")
        #expect(defaults == InjectedFaults(latency: .zero, errorRate: 0, spikeRate: 0, spikeLatency: .seconds(2)))

        let badSpike = ConfigReader(provider: InMemoryProvider(values: ["spike-rate": "1.5"]))
        let error = try #require(throws: InvalidConfiguration.self) { try InjectedFaults(config: badSpike, scope: "shipping") }
        #expect(error.key == "shipping.spike-rate")
        let negative = ConfigReader(provider: InMemoryProvider(values: ["spike-ms": "-1"]))
        #expect(throws: InvalidConfiguration.self) { try InjectedFaults(config: negative, scope: "shipping") }
    }

    @Test func aSpikeAddsItsDelayToTheShareOfCallsItIsDrawnFor() {
        let always = InjectedFaults(latency: .milliseconds(10), spikeRate: 1, spikeLatency: .milliseconds(500))
        #expect((0..<20).allSatisfy { _ in always.drawDelay() == .milliseconds(510) })
        let never = InjectedFaults(latency: .milliseconds(10), spikeRate: 0, spikeLatency: .milliseconds(500))
        #expect((0..<20).allSatisfy { _ in never.drawDelay() == .milliseconds(10) })
        let some = InjectedFaults(latency: .zero, spikeRate: 0.5, spikeLatency: .milliseconds(500))
        let spiked = (0..<1000).filter { _ in some.drawDelay() > .zero }.count
        #expect((350...650).contains(spiked))  // binomial(1000, 0.5): outside this range about once in 10^20
    }
}
