import Testing

@Test func placeholderHMPTests() { #expect(true) }
