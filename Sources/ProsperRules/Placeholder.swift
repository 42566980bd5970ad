public enum ProsperRulesPlaceholder {}
