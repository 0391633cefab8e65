import Testing

@Test func placeholderMachineTests() { #expect(true) }
