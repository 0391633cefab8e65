import Testing

@Test func placeholderConsoleTests() { #expect(true) }
