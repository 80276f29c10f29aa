namespace Superbridge.Core.Validation;

/// <summary>Why a field was rejected; lets the API map errors without parsing messages.</summary>
public enum ErrorCode
{
    Required,
    InvalidName,
    InvalidAddress,
    InvalidPrefix,
    InvalidFormat,
    OutOfRange,
    Duplicate,
    Conflict,
    UnknownHost,
    NotMember,
    Cycle,
    NotConnected,
    Unsupported,
    NotFound,
    NotAllowed,
    Mismatch,
}
