/// The settings of the Spark engine that users give as environment variables. The
/// library never reads the environment: the executable builds these with
/// ``init(environment:)`` from its own, a program embedding the engine sets them itself.
package struct SparkSettings: Sendable, Equatable {
    /// Spark installations to look in for `bin/spark-submit` after PATH, in order
    /// (PROSPER_SPARK_HOME, then SPARK_HOME).
    package var homes: [String]
    /// The Python that runs the driver (PROSPER_SPARK_PYTHON, else PYSPARK_PYTHON);
    /// nil: spark-submit's own choice.
    package var python: String?
    /// `spark.sql.shuffle.partitions` (PROSPER_SPARK_SHUFFLE_PARTITIONS); nil: about one
    /// per 250,000 customers, at least 4.
    package var shufflePartitions: Int?

    package init(homes: [String] = [], python: String? = nil, shufflePartitions: Int? = nil) {
        self.homes = homes
        self.python = python
        self.shufflePartitions = shufflePartitions
    }

    /// The settings the documented variables give (docs/engines.md); others are ignored,
    /// a partition count that is not a positive whole number too.
    package init(environment env: [String: String]) {
        homes = [env["PROSPER_SPARK_HOME"], env["SPARK_HOME"]].compactMap { $0 }
        python = env["PROSPER_SPARK_PYTHON"] ?? env["PYSPARK_PYTHON"]
        shufflePartitions = env["PROSPER_SPARK_SHUFFLE_PARTITIONS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
