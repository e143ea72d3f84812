import EmporiumCore
import Testing

/// The one load balancer: round robin over the instances that are healthy and not ejected, with
/// somewhere to go whatever their state.
@Suite(.timeLimit(.minutes(1))) struct InstancePoolTests {
    let pool = InstancePool(
        name: "product",
        baseURLs: ["http://a", "http://b", "http://c"],
        ejection: .init(failureThreshold: 1, openDuration: .seconds(60))
    )

    func picks(_ count: Int, avoiding: BalancedInstance? = nil) -> [String] {
        (0..<count).compactMap { _ in pool.pick(avoiding: avoiding)?.baseURL }
    }

    func eject(_ index: Int) async {
        _ = try? await pool.instances[index].breaker.run { () async throws -> Int in throw CancellationError() }
    }

    @Test func callsTakeEveryInstanceInTurn() {
        #expect(picks(6).sorted() == ["http://a", "http://a", "http://b", "http://b", "http://c", "http://c"])
    }

    @Test func anEjectedOrUnhealthyInstanceIsLeftOutWhileOthersCanServe() async {
        await eject(0)
        pool.instances[1].setHealthy(false)
        #expect(Set(picks(6)) == ["http://c"])
        // Unhealthy but not ejected still beats ejected when nothing else is left.
        await eject(2)
        #expect(Set(picks(4)) == ["http://b"])
    }

    @Test func withEveryInstanceEjectedOneIsStillCalled() async {
        for index in 0..<3 { await eject(index) }
        #expect(picks(3).count == 3)
    }

    @Test func aRetryAvoidsTheInstanceThatFailedUnlessItIsTheOnlyOne() {
        let failed = pool.instances[1]
        #expect(!picks(6, avoiding: failed).contains("http://b"))
        let single = InstancePool(name: "order", baseURLs: ["http://only"], ejection: .init())
        #expect(single.pick(avoiding: single.instances[0])?.baseURL == "http://only")
    }
}
