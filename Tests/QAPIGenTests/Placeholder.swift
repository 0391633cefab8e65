import Testing

@Test func placeholderQAPIGenTests() { #expect(true) }
