// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A Chainlink-style price feed for tests: the AggregatorV3Interface reads a bot consumes, and an owner-less
/// updateAnswer to move the price (and to make a round stale by setting its time).
contract TestPriceAggregator {
    uint8 public immutable decimals;
    uint80 private round;
    int256 private answer;
    uint256 private updatedAt;
    uint80 private answeredIn;

    constructor(uint8 decimals_, int256 initialAnswer) {
        decimals = decimals_;
        updateAnswer(initialAnswer);
    }

    function updateAnswer(int256 newAnswer) public {
        round += 1;
        answer = newAnswer;
        updatedAt = block.timestamp;
        answeredIn = round;
    }

    /// A round published at `timestamp` (for staleness tests); `carried` leaves answeredInRound behind the round.
    function updateRoundData(int256 newAnswer, uint256 timestamp, bool carried) external {
        round += 1;
        answer = newAnswer;
        updatedAt = timestamp;
        answeredIn = carried ? round - 1 : round;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (round, answer, updatedAt, updatedAt, answeredIn);
    }
}
