import Testing

@Test func placeholderQAPITests() { #expect(true) }
