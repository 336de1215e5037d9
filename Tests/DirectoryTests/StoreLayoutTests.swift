import Testing
import Directory
@Test func layoutPlaceholder() { #expect(StoreLayout.isValidID("3fa85f64-5717-4562-b3fc-2c963f66afa6")) }
