import Foundation

/// The token endpoint's answer.
public struct OAuthToken: Codable, Sendable, Equatable {
    public var accessToken: String?
    /// Seconds the token stays valid.
    public var expiresIn: Int?
    public var tokenType: String?
    public var scope: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case tokenType = "token_type"
        case scope
    }

    public init(
        accessToken: String? = nil, expiresIn: Int? = nil, tokenType: String? = nil,
        scope: String? = nil
    ) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.tokenType = tokenType
        self.scope = scope
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = container.lenientString(.accessToken)
        expiresIn = container.lenientInt(.expiresIn)
        tokenType = container.lenientString(.tokenType)
        scope = container.lenientString(.scope)
    }
}
