import Testing

@Test func placeholderMonitorTests() { #expect(true) }
